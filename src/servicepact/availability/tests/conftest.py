"""Globex's contract with version 2 signed: the specification's availability reference (two availability
measures, Sunday maintenance windows), in force from 1 January 2026 like version 1."""

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from servicepact.availability import actions
from servicepact.contracts.models import ContractVersion, VersionStatus

AVAILABILITY_CONTRACT = Path(__file__).resolve().parents[2] / "sla" / "tests" / "contracts" / "globex-availability.yaml"
NOW = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def availability_version(world) -> ContractVersion:
    source = AVAILABILITY_CONTRACT.read_text(encoding="utf-8")
    return ContractVersion.objects.create(
        contract=world.contract,
        number=2,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=world.version.effective_from,
        effective_to=world.version.effective_to,
        status=VersionStatus.SIGNED,
    )


@pytest.fixture
def march_outages(world, availability_version):
    """sap-erp: 2 h across the month's start (1 h in February), a planned Sunday window with an hour over,
    an overlapping pair on Tuesday 10 March; mes-asia: open from Tuesday 31 March 09:00 Shanghai time."""
    agent = world.people["agent"]
    services = world.services
    recorded = [
        (services["sap-erp"], utc(2026, 2, 28, 22), utc(2026, 3, 1, 1), False, "GLX-1"),
        (services["sap-erp"], utc(2026, 3, 8, 0), utc(2026, 3, 8, 5), True, "CHG-7"),
        (services["sap-erp"], utc(2026, 3, 10, 10), utc(2026, 3, 10, 12), False, ""),
        (services["sap-erp"], utc(2026, 3, 10, 11), utc(2026, 3, 10, 13), False, ""),
        (services["mes-asia"], utc(2026, 3, 31, 1), None, False, "MI-3"),
    ]
    return [
        actions.record_outage(
            actor=agent,
            contract=world.contract,
            service=service,
            start=start,
            end=end,
            planned=planned,
            reference=reference,
            now=NOW,
        )
        for service, start, end, planned, reference in recorded
    ]
