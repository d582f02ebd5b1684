"""The version an imported ticket is pinned to is the one ``version_in_force`` names, to the second."""

import hashlib
import random
from datetime import UTC, date, datetime

from servicepact.contracts.models.version import in_force_among
from servicepact.imports.target import ImportTarget
from servicepact.testing import factories


def test_the_pinned_version_is_the_one_in_force_around_every_boundary(world, servicenow_mapping):
    contract = factories.ContractFactory(slug="two-versions", customer=world.customer, provider=world.provider)
    base = factories.EXAMPLE_CONTRACT.read_text().replace("contract: globex-ito", "contract: two-versions")
    for number, start, end, zone in (
        (1, date(2016, 1, 1), date(2016, 6, 30), "Europe/Berlin"),
        (2, date(2016, 7, 1), None, "America/Sao_Paulo"),
    ):
        text = (
            base.replace("version: 1", f"version: {number}")
            .replace(
                "effective: {from: 2026-01-01, to: 2027-12-31}",
                f"effective: {{from: {start.isoformat()}{', to: ' + end.isoformat() if end else ''}}}",
            )
            .replace("timezone: Europe/Berlin          # weeks", f"timezone: {zone}          # weeks")
        )
        factories.ContractVersionFactory(
            contract=contract,
            number=number,
            source=text,
            effective_from=start,
            effective_to=end,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
    target = ImportTarget(contract, servicenow_mapping)
    rng = random.Random(4)
    boundaries = [
        datetime(2016, 6, 30, 21, tzinfo=UTC),
        datetime(2016, 1, 1, tzinfo=UTC),
        datetime(2015, 12, 31, 22, tzinfo=UTC),
        datetime(2016, 10, 16, 2, tzinfo=UTC),
    ]
    seconds = [int(moment.timestamp()) + offset for moment in boundaries for offset in range(-7200, 7200, 60)]
    seconds += [rng.randrange(1420070400, 1514764800) for _ in range(2000)]
    for second in seconds:
        expected = in_force_among(target.versions, datetime.fromtimestamp(second, tz=UTC))
        assert target.version_at(second) == expected, datetime.fromtimestamp(second, tz=UTC)
