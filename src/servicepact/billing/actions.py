"""Every write of billing: logging time, approving a person's week, issuing a month's invoice.

Each checks the actor's permission first (servicepact/permissions/billing.py), refuses bad input with an
``ActionRefused`` naming the field, and writes in one transaction.
"""

import json
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.billing.models import Invoice, TimeEntry, WeekApproval
from servicepact.billing.queries import billing_terms, month_days, month_report, week_of
from servicepact.changes.models import Change
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.permissions.billing import can_approve_time, can_issue_invoice, can_log_time
from servicepact.problems.models import Problem
from servicepact.refusals import ActionRefused
from servicepact.sla.invoice import InvoiceError, TimeRow, build_invoice, credits_of, sha256

MAX_HOURS_A_DAY = Decimal(24)


def _refuse(field: str, message: str, status: int = 422) -> ActionRefused:
    return ActionRefused(message, errors={field: [message]}, status=status)


def log_time(
    *,
    actor: User,
    contract: Contract,
    day: date,
    hours: Decimal,
    role: str,
    ticket: Ticket | None = None,
    problem: Problem | None = None,
    change: Change | None = None,
    activity: str = "",
    note: str = "",
    at: datetime | None = None,
) -> TimeEntry:
    """The actor's hours of ``day``: on a ``ticket``, ``problem`` or ``change`` of the contract, or on ``activity``."""
    if not can_log_time(actor, contract):
        raise PermissionDenied(_("You may not log time on contract %(contract)s.") % {"contract": contract.slug})
    version, terms = billing_terms(contract, day)
    if terms is None or terms.billing is None:
        raise _refuse("day", _("No signed version with a billing section is in force on %(day)s.") % {"day": day})
    if role not in terms.billing.rates:
        raise _refuse(
            "role",
            _("Role %(role)s has no rate in version %(version)d; roles: %(roles)s.")
            % {"role": role, "version": version.number, "roles": ", ".join(sorted(terms.billing.rates))},
        )
    if not Decimal(0) < hours <= MAX_HOURS_A_DAY or hours != hours.quantize(Decimal("0.01")):
        raise _refuse("hours", _("Give the hours as a number above 0 and at most 24, with at most two decimals."))
    items = [item for item in (ticket, problem, change) if item is not None]
    if len(items) > 1:
        raise _refuse("ticket", _("Give one ticket, problem or change for each entry."))
    if not items and not activity.strip():
        raise _refuse("activity", _("Name the ticket or the activity the hours were spent on."))
    if items and items[0].contract_id != contract.pk:
        raise _refuse("ticket", _("%(number)s is not under this contract.") % {"number": items[0].number})
    week = week_of(day)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one person's logging at a time
        if WeekApproval.objects.filter(contract=contract, person=actor, week=week).exists():
            raise _refuse("day", _("Week %(week)s is approved already; its hours are final.") % {"week": week}, 409)
        logged = TimeEntry.objects.filter(person=actor, day=day).aggregate(total=Sum("hours"))["total"] or 0
        if logged + hours > MAX_HOURS_A_DAY:
            raise _refuse(
                "hours",
                _("You have logged %(logged)s hours on %(day)s already; a day has 24.")
                % {"logged": logged, "day": day},
            )
        return TimeEntry.objects.create(
            contract=contract,
            person=actor,
            role=role,
            day=day,
            week=week,
            hours=hours,
            ticket=ticket,
            problem=problem,
            change=change,
            activity="" if items else activity.strip(),
            note=note.strip(),
            created_at=at or timezone.now(),
        )


def delete_time(*, actor: User, entry: TimeEntry) -> None:
    """One's own entry of a week not approved yet: a mistake put right."""
    if entry.person_id != actor.pk or not can_log_time(actor, entry.contract):
        raise PermissionDenied(_("You may delete only your own hours."))
    with transaction.atomic():
        if WeekApproval.objects.filter(contract=entry.contract, person=actor, week=entry.week).exists():
            raise _refuse(
                "entry", _("Week %(week)s is approved already; its hours are final.") % {"week": entry.week}, 409
            )
        TimeEntry.objects.filter(pk=entry.pk).delete()


def approve_week(
    *, actor: User, contract: Contract, person: User, week: str, at: datetime | None = None
) -> WeekApproval:
    """The customer's approval of ``person``'s hours of ``week``: they become final and billable."""
    if not can_approve_time(actor, contract):
        raise PermissionDenied(_("You may not approve time on contract %(contract)s.") % {"contract": contract.slug})
    with transaction.atomic():
        entries = TimeEntry.objects.select_for_update().filter(contract=contract, person=person, week=week)
        hours = sum((entry.hours for entry in entries), Decimal(0))
        if not hours:
            raise _refuse("week", _("%(person)s logged no hours in %(week)s.") % {"person": person, "week": week})
        if WeekApproval.objects.filter(contract=contract, person=person, week=week).exists():
            raise _refuse(
                "week", _("%(person)s's week %(week)s is approved already.") % {"person": person, "week": week}, 409
            )
        approved_at = at or timezone.now()
        TimeEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(approved_at=approved_at)
        return WeekApproval.objects.create(
            contract=contract, person=person, week=week, hours=hours, approved_by=actor, approved_at=approved_at
        )


def issue_invoice(*, actor: User, contract: Contract, month: str, at: datetime | None = None) -> Invoice:
    """The invoice of ``month``: approved hours at the rates of the version in force on its last day, the
    fixed fee, less the credits of the month's stored report (docs/billing.md)."""
    if not can_issue_invoice(actor, contract):
        raise PermissionDenied(_("You may not issue invoices of contract %(contract)s.") % {"contract": contract.slug})
    report = month_report(contract, month)
    if report is None:
        raise _refuse(
            "month", _("There is no stored monthly report of %(month)s to take the credits from.") % {"month": month}
        )
    version = report.contract_version
    terms = version.kernel()
    if terms.billing is None:
        raise _refuse("month", _("Version %(version)d has no billing section.") % {"version": version.number})
    approved = WeekApproval.objects.filter(contract=contract).values_list("person_id", "week")
    entries = (
        TimeEntry.objects.filter(contract=contract, day__range=month_days(month))
        .select_related("person", "ticket", "problem", "change")
        .order_by("day", "pk")
    )
    approved_weeks = set(approved)
    rows = [
        TimeRow(index, entry.person.email, entry.role, entry.day, entry.hours, entry.reference)
        for index, entry in enumerate(entries, start=1)
        if (entry.person_id, entry.week) in approved_weeks
    ]
    unknown = sorted({row.role for row in rows} - set(terms.billing.rates))
    if unknown:
        raise _refuse(
            "month", _("Roles without a rate in the version in force: %(roles)s.") % {"roles": ", ".join(unknown)}
        )
    body = report.body.encode()
    report_data = json.loads(report.body)
    try:
        credits = credits_of(report_data, terms, terms.billing, f"report {report.pk}")
        invoice = build_invoice(terms, rows, report_data, report_sha256=sha256(body), credits=credits)
    except InvoiceError as error:
        raise _refuse("month", error.messages[0]) from None
    with transaction.atomic():
        if Invoice.objects.select_for_update().filter(contract=contract, month=month).exists():
            raise _refuse("month", _("The invoice of %(month)s is issued already.") % {"month": month}, 409)
        return Invoice.objects.create(
            contract=contract,
            contract_version=version,
            month=month,
            report=report,
            currency=invoice["currency"],
            total=Decimal(invoice["total"]),
            body=invoice,
            issued_by=actor,
            issued_at=at or timezone.now(),
        )
