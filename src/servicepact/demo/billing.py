"""The demonstration's hours and invoices: the contract's billing section, months of hours logged by
Northwind's people on the tickets of their teams (or on activities), each finished week approved by
Globex's manager, and the invoice of every month whose report is stored, net of its credits."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from servicepact.accounts.models import Role
from servicepact.billing.actions import approve_week, issue_invoice, log_time
from servicepact.billing.models import Invoice, TimeEntry
from servicepact.billing.queries import week_days
from servicepact.desk.models import Ticket
from servicepact.slm.models import ReportKind, ReportScope, StoredReport

# Appended to the reference contract's text: the demo's contract bills by the hour beside its fixed fee.
BILLING_SECTION = """
billing:                           # the fixed fee is the credits' monthly fee
  currency: EUR
  rates: {engineer: 85.50, consultant: 120, service-desk: 45}
  billable: [engineer, consultant] # the desk is in the fixed fee
"""
ROLE_OF = {Role.RESOLVER: "engineer", Role.TEAM_LEAD: "consultant", Role.AGENT: "service-desk"}
ACTIVITIES = ("Release support", "SAP upgrade rehearsal", "Knowledge base upkeep", "Monitoring review")


@dataclass
class BillingResult:
    entries: int = 0
    weeks: int = 0
    invoices: int = 0


def billed_source(reference_text: str) -> str:
    return reference_text.rstrip("\n") + "\n" + BILLING_SECTION


def bill_history(scenario, start: datetime, end: datetime, *, seed: int) -> BillingResult:
    """Hours on every working day from ``start`` to ``end``, approvals of the finished weeks, and invoices."""
    rng = random.Random(seed)
    contract = scenario.contract
    people = [
        person
        for person in scenario.people.values()
        if person.organization_id == contract.provider_id and _role(person) in ROLE_OF
    ]
    tickets = _tickets_by_team_and_day(contract)
    result = BillingResult()
    day = start.date()
    while day < end.date():
        if day.isoweekday() <= 5:
            for person in people:
                result.entries += _log_day(rng, contract, person, day, tickets)
        day += timedelta(days=1)
    manager = scenario.people["customer-manager"]
    weeks = sorted({(entry_person, week) for entry_person, week in _logged_weeks(contract)})
    for person_id, week in weeks:
        sunday = week_days(week)[-1]
        if sunday >= end.date():
            continue  # the week is not over: not approved yet
        person = next(p for p in people if p.pk == person_id)
        approve_week(actor=manager, contract=contract, person=person, week=week, at=_at(sunday + timedelta(days=1), 10))
        result.weeks += 1
    analyst = next(p for p in scenario.people.values() if _role(p) == Role.REPORTING_ANALYST)
    months = StoredReport.objects.filter(contract=contract, kind=ReportKind.MONTHLY, scope=ReportScope.CONTRACT)
    for month in sorted(set(months.values_list("period_label", flat=True))):
        if not Invoice.objects.filter(contract=contract, month=month).exists():
            issue_invoice(actor=analyst, contract=contract, month=month)
            result.invoices += 1
    return result


def _role(person) -> str | None:
    membership = person.memberships.filter(organization_id=person.organization_id).first()
    return membership.role if membership else None


def _tickets_by_team_and_day(contract) -> dict[tuple[int, date], list[Ticket]]:
    found: dict[tuple[int, date], list[Ticket]] = defaultdict(list)
    for ticket in Ticket.objects.filter(contract=contract, team__isnull=False).only(
        "pk", "number", "team_id", "created_at"
    ):
        found[(ticket.team_id, ticket.created_at.date())].append(ticket)
    return found


def _log_day(rng: random.Random, contract, person, day: date, tickets) -> int:
    if rng.random() < 0.06:  # leave, sickness, training
        return 0
    role = ROLE_OF[_role(person)]
    team_ids = list(person.memberships.exclude(team__isnull=True).values_list("team_id", flat=True))
    on_tickets = [ticket for team in team_ids for ticket in tickets.get((team, day), [])]
    total = Decimal(rng.choice(("6", "6.5", "7", "7.5", "8")))
    # quarter hours: the first piece of the day on a ticket, the rest on an activity
    first = (total * Decimal(rng.choice(("0.5", "0.75", "1"))) * 4).to_integral_value(ROUND_HALF_UP) / 4
    logged = 0
    for hours, ticket in ((first, rng.choice(on_tickets) if on_tickets else None), (total - first, None)):
        if hours <= 0:
            continue
        log_time(
            actor=person,
            contract=contract,
            day=day,
            hours=hours,
            role=role,
            ticket=ticket,
            activity="" if ticket else rng.choice(ACTIVITIES),
            at=_at(day, 17),
        )
        logged += 1
    return logged


def _logged_weeks(contract):
    return TimeEntry.objects.filter(contract=contract).values_list("person_id", "week").distinct()


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)
