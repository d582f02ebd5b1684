"""Tickets and a contract with breach warnings, for the live clock tests."""

import hashlib
from datetime import UTC, date, datetime

import pytest

from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.desk import actions

# Monday 2 March 2026, 10:00 in Berlin: eu-business (08-18 Berlin) is open.
MONDAY_0900Z = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

WARNINGS = (
    "    warnings:\n"
    "      - {at: 50%, notify: [assignee]}\n"
    "      - {at: 90%, notify: [assignee, team_lead, on_call, customer_manager]}\n"
)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """The world's people get passwords; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def version_with_warnings(world) -> ContractVersion:
    """Version 2 of the world's contract: the reference text with warnings on the resolution clock."""
    source = world.version.source.replace("version: 1\n", "version: 2\n", 1).replace(
        "    pause_on: [pending_customer]\n",
        "    pause_on: [pending_customer]\n" + WARNINGS,
        1,
    )
    assert WARNINGS in source
    return ContractVersion.objects.create(
        contract=world.contract,
        number=2,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=date(2026, 1, 1),
        effective_to=date(2027, 12, 31),
        status=VersionStatus.SIGNED,
    )


OLAS = (
    "olas:\n"
    "  app-support-cn:\n"
    "    targets:\n"
    "      P1: {within: 1h, calendar: always}\n"
    "      P2: {within: 2h, calendar: always}\n"
    "      P3: {within: 8h, calendar: service}\n"
    "      P4: {within: 16h, calendar: service}\n"
)


def version_with_olas(world) -> ContractVersion:
    """Version 2 of the world's contract: the reference text with an OLA for application support China."""
    source = world.version.source.replace("version: 1\n", "version: 2\n", 1).replace(
        "\nmeasures:", "\n" + OLAS + "\nmeasures:", 1
    )
    assert OLAS in source
    return ContractVersion.objects.create(
        contract=world.contract,
        number=2,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=date(2026, 1, 1),
        effective_to=date(2027, 12, 31),
        status=VersionStatus.SIGNED,
    )


@pytest.fixture
def warned_world(world):
    world.version = version_with_warnings(world)
    return world


def open_ticket(world, at=MONDAY_0900Z, **overrides):
    """A P2 incident on SAP ERP (high impact, medium urgency) reported by the requester."""
    fields = dict(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Invoices do not post",
        impact="high",
        urgency="medium",
        at=at,
    )
    fields.update(overrides)
    return actions.create_ticket(**fields)


def clocks_of(ticket) -> dict:
    return {row.clock: row for row in ticket.clocks.all()}
