"""Reads of billing: the terms in force on a day, a person's weeks, the stored report a month's invoice
takes its credits from."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from servicepact.billing.models import WeekApproval
from servicepact.changes.models import Change
from servicepact.contracts.models import Contract, ContractVersion, VersionStatus
from servicepact.desk.models import Ticket
from servicepact.problems.models import Problem
from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.sla.versions import holds
from servicepact.slm.models import ReportKind, ReportScope, StoredReport


def work_item(user, number: str):
    """The ticket, problem (PRB…) or change (CHG…) numbered ``number`` that ``user`` sees, as a keyword
    argument of ``log_time`` (``{"ticket": ...}``), or None when there is none."""
    number = number.strip().upper()
    for prefix, model, key in (("PRB", Problem, "problem"), ("CHG", Change, "change")):
        if number.startswith(prefix):
            digits = number[len(prefix) :]
            if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
                return None
            found = model.objects.visible_to(user).filter(pk=int(digits)).first()
            return None if found is None else {key: found}
    found = Ticket.objects.visible_to(user).filter(number=number[:64]).first()
    return None if found is None else {"ticket": found}


def week_of(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_days(week: str) -> list[date]:
    """The seven days of ISO week ``week`` (like 2026-W10); ValueError for anything else."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return [monday + timedelta(days=offset) for offset in range(7)]


def month_days(month: str) -> tuple[date, date]:
    """The first and last day of ``month`` (like 2026-03); ValueError for anything else."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def billing_terms(contract: Contract, day: date) -> tuple[ContractVersion | None, KernelContract | None]:
    """The signed version in force on ``day`` and its kernel form (the highest whose dates hold it)."""
    versions = ContractVersion.objects.filter(contract=contract, status=VersionStatus.SIGNED).order_by("-number")
    for version in versions:
        terms = version.kernel()
        if holds(terms, day):
            return version, terms
    return None, None


def month_report(contract: Contract, month: str) -> StoredReport | None:
    """The contract's stored monthly report of ``month``: its latest restatement, if it was restated."""
    report = (
        StoredReport.objects.filter(
            contract=contract, kind=ReportKind.MONTHLY, scope=ReportScope.CONTRACT, period_label=month
        )
        .select_related("contract_version")
        .order_by("-generated_at")
        .first()
    )
    return report


def week_totals(entries) -> list[dict]:
    """Hours per person and week of ``entries`` (a queryset through the access layer)."""
    rows = entries.values("person_id", "person__full_name", "person__email", "week").annotate(hours=Sum("hours"))
    return [dict(row, hours=row["hours"] or Decimal(0)) for row in rows.order_by("-week", "person__full_name")]


def approved_entries(entries, contract: Contract, month: str):
    """The approved entries of ``month`` among ``entries`` (a queryset through the access layer)."""
    weeks = WeekApproval.objects.filter(contract=contract).values_list("person_id", "week")
    approved = set(weeks)
    rows = entries.filter(contract=contract, day__range=month_days(month)).select_related(
        "person", "ticket", "problem", "change"
    )
    return [entry for entry in rows.order_by("day", "person__email", "pk") if (entry.person_id, entry.week) in approved]
