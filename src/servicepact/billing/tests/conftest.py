"""A billing scene: Globex's contract with a signed version 2 (from March 2026) that has a billing
section, a March ticket breaching its targets, hours logged on it and on an activity, and March's
stored monthly report with credits."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from servicepact.billing.actions import approve_week, log_time
from servicepact.contracts.models import ContractVersion
from servicepact.desk.actions import create_ticket, resolve_ticket, route_ticket
from servicepact.slm.models import StoredReport
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.testing import factories

BILLING = """
billing:
  currency: EUR
  rates: {engineer: 85.50, consultant: 120, trainee: 40}
  billable: [engineer, consultant]
"""
BILLED_TEXT = factories.EXAMPLE_CONTRACT.read_text().replace("version: 1\n", "version: 2\n", 1) + BILLING


@dataclass
class Scene:
    version: ContractVersion
    ticket: object
    report: StoredReport


def billed_version(world) -> ContractVersion:
    return factories.ContractVersionFactory(
        contract=world.contract, number=2, source=BILLED_TEXT, effective_from=date(2026, 3, 1)
    )


def march_ticket(world):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    ticket = create_ticket(
        actor=world.people["agent"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="high",
        urgency="high",
        requester=world.people["requester"],
        at=at,
    )
    route_ticket(ticket, actor=world.people["agent"], at=at)
    resolve_ticket(ticket, actor=world.people["resolver"], resolution="Fixed", at=at + timedelta(hours=10))
    return ticket


def build_scene(world) -> Scene:
    version = billed_version(world)
    ticket = march_ticket(world)
    resolver = world.people["resolver"]
    log_time(
        actor=resolver,
        contract=world.contract,
        day=date(2026, 3, 2),
        hours=Decimal("7.5"),
        role="engineer",
        ticket=ticket,
    )
    log_time(
        actor=resolver,
        contract=world.contract,
        day=date(2026, 3, 3),
        hours=Decimal("2.25"),
        role="consultant",
        activity="SAP upgrade workshop",
    )
    log_time(
        actor=resolver,
        contract=world.contract,
        day=date(2026, 3, 4),
        hours=Decimal(4),
        role="trainee",
        activity="Onboarding",
    )
    # Week 11's hours are never approved: they stay off the invoice.
    log_time(
        actor=resolver,
        contract=world.contract,
        day=date(2026, 3, 10),
        hours=Decimal(8),
        role="engineer",
        activity="Upgrade",
    )
    approve_week(actor=world.people["customer-manager"], contract=world.contract, person=resolver, week="2026-W10")
    report = generate_report(ReportRequest(world.contract, "monthly", "2026-03"))
    return Scene(version, ticket, report)


@pytest.fixture
def scene(world) -> Scene:
    return build_scene(world)
