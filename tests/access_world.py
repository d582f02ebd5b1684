"""The world's contract with internal clocks: OLAs for the provider's and the customer's resolver teams and an
underpinning contract for the hardware vendor, disclosed to the customer's people or not."""

import hashlib
from datetime import date

from servicepact.contracts.models import ContractVersion, VersionStatus

INTERNAL_TARGETS = (
    "    targets:\n"
    "      P1: {within: 1h, calendar: always}\n"
    "      P2: {within: 2h, calendar: always}\n"
    "      P3: {within: 8h, calendar: always}\n"
    "      P4: {within: 16h, calendar: always}\n"
)
OLAS = (
    "olas:\n"
    "  app-support-cn:\n"
    + INTERNAL_TARGETS
    + "  globex-security:\n"
    + INTERNAL_TARGETS
    + "  hw-onsite:\n    underpinning: true\n"
    + INTERNAL_TARGETS
)
OLA_MEASURE = (
    "  - id: ola-compliance\n"
    "    measure: ola_met_ratio\n"
    "    frequency: weekly\n"
    '    target: ">= 0.90"\n'
    "    measured_by: service-reporting\n"
)


def version_with_internal_clocks(world, *, disclose: bool = False, number: int = 2) -> ContractVersion:
    """A signed version of the world's contract, in force from 2026, with OLA and underpinning clocks and an
    OLA measure; the customer's people see those clocks only if ``disclose``."""
    source = world.version.source.replace("version: 1\n", f"version: {number}\n", 1)
    source = source.replace("\nmeasures:\n", "\n" + OLAS + "\nmeasures:\n" + OLA_MEASURE, 1)
    if disclose:
        source = source.replace("reporting:\n", "reporting:\n  disclose_internal_clocks: true\n", 1)
    assert OLAS in source and OLA_MEASURE in source
    return ContractVersion.objects.create(
        contract=world.contract,
        number=number,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=date(2026, 1, 1),
        effective_to=date(2027, 12, 31),
        status=VersionStatus.SIGNED,
    )
