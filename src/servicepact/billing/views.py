"""Billing pages: one's hours of a week, a contract's weeks to approve, its invoices and their downloads.

Each declares its permission beside it. A contract whose reports (and so commercials) one does not read is
not found; a write one may not do is refused by the action (403).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from servicepact.billing.actions import approve_week, delete_time, issue_invoice, log_time
from servicepact.billing.exports import invoice_pdf, invoice_workbook
from servicepact.billing.forms import ApproveWeekForm, IssueInvoiceForm, TimeEntryForm
from servicepact.billing.models import Invoice, TimeEntry, WeekApproval
from servicepact.billing.queries import (
    approved_entries,
    billing_terms,
    week_days,
    week_of,
    week_totals,
    work_item,
)
from servicepact.contracts.models import Contract
from servicepact.permissions.billing import (
    can_approve_time,
    can_issue_invoice,
    can_log_time,
    can_read_invoices,
    logs_time,
    owns_entry,
    reads_billing,
)
from servicepact.permissions.declared import object_view, person_view, signed_in
from servicepact.refusals import ActionRefused

READ = ("GET", "HEAD")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable_contract(request: HttpRequest, slug: str) -> Contract:
    contract = get_object_or_404(Contract.objects.visible_to(request.user), slug=slug)
    if not can_read_invoices(request.user, contract):
        raise Http404(_("No such contract."))
    return contract


billing_contract_view = object_view(readable_contract, "slug")


@person_view(reads_billing)
def index(request: HttpRequest) -> HttpResponse:
    """The contracts whose hours and invoices the person reads, and one's own hours for those who log them."""
    contracts = [
        c for c in Contract.objects.visible_to(request.user).order_by("title") if can_read_invoices(request.user, c)
    ]
    return render(request, "billing/index.html", {"contracts": contracts, "logs_time": logs_time(request.user)})


def _week(request: HttpRequest) -> str:
    week = request.GET.get("week", "")
    try:
        week_days(week)
    except ValueError:
        return week_of(timezone.localdate())
    return week


def _refused(form, refused: ActionRefused) -> None:
    for field, problems in refused.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@person_view(logs_time, methods=("GET", "HEAD", "POST"))
def time(request: HttpRequest) -> HttpResponse:
    """One's hours of a week (``?week=2026-W10``) and the form that logs more."""
    contracts = [
        c for c in Contract.objects.visible_to(request.user).order_by("title") if can_log_time(request.user, c)
    ]
    roles = sorted({role for c in contracts for role in _roles(c)})
    week = _week(request)
    last_role = (
        TimeEntry.objects.visible_to(request.user)
        .filter(person=request.user)
        .order_by("-created_at")
        .values_list("role", flat=True)
        .first()
    )
    initial = {"day": timezone.localdate(), "role": last_role}
    form = TimeEntryForm(request.POST or None, contracts=contracts, roles=roles, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            contract = next(c for c in contracts if c.slug == data["contract"])
            item = {}
            if data["ticket"]:
                item = work_item(request.user, data["ticket"])
                if item is None:
                    form.add_error("ticket", _("No such ticket, problem or change."))
            if form.is_valid():
                try:
                    entry = log_time(
                        actor=request.user,
                        contract=contract,
                        day=data["day"],
                        hours=data["hours"],
                        role=data["role"],
                        activity=data["activity"],
                        **item,
                        note=data["note"],
                    )
                except ActionRefused as refused:
                    _refused(form, refused)
                else:
                    messages.success(request, _("%(hours)s hours logged.") % {"hours": entry.hours})
                    return redirect(f"{request.path}?week={entry.week}")
        status = 422
    entries = (
        TimeEntry.objects.visible_to(request.user)
        .filter(person=request.user, week=week)
        .select_related("contract", "ticket", "problem", "change")
        .order_by("day", "pk")
    )
    approved = set(
        WeekApproval.objects.visible_to(request.user)
        .filter(person=request.user, week=week)
        .values_list("contract_id", flat=True)
    )
    days = week_days(week)
    context = {
        "form": form,
        "week": week,
        "entries": entries,
        "approved": approved,
        "total": sum(entry.hours for entry in entries),
        "previous": week_of(days[0].fromordinal(days[0].toordinal() - 7)),
        "next": week_of(days[0].fromordinal(days[0].toordinal() + 7)),
    }
    return render(request, "billing/time.html", context, status=status)


def visible_entry(request: HttpRequest, entry_id: int) -> TimeEntry:
    return get_object_or_404(TimeEntry.objects.visible_to(request.user).select_related("contract"), pk=entry_id)


@object_view(visible_entry, "entry_id")(owns_entry)
def time_delete(request: HttpRequest, entry: TimeEntry) -> HttpResponse:
    week = entry.week
    try:
        delete_time(actor=request.user, entry=entry)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("%(hours)s hours of %(day)s deleted.") % {"hours": entry.hours, "day": entry.day})
    return redirect(f"{reverse('billing:time')}?week={week}")


def _roles(contract: Contract) -> list[str]:
    _version, terms = billing_terms(contract, timezone.localdate())
    return sorted(terms.billing.rates) if terms is not None and terms.billing is not None else []


@billing_contract_view(can_read_invoices, methods=("GET", "HEAD", "POST"))
def approvals(request: HttpRequest, contract: Contract) -> HttpResponse:
    """The hours of each person and week on the contract, and the approval of a week."""
    status = 200
    if request.method == "POST":
        form = ApproveWeekForm(request.POST)
        if form.is_valid():
            person = (
                TimeEntry.objects.visible_to(request.user)
                .filter(contract=contract, person_id=form.cleaned_data["person"])
                .first()
            )
            if person is None:
                raise Http404(_("No such person's hours."))
            try:
                approval = approve_week(
                    actor=request.user, contract=contract, person=person.person, week=form.cleaned_data["week"]
                )
            except ActionRefused as refused:
                messages.error(request, refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _("%(person)s's week %(week)s is approved: %(hours)s hours.")
                    % {"person": approval.person, "week": approval.week, "hours": approval.hours},
                )
                return redirect(request.path)
        else:
            status = 422
    entries = TimeEntry.objects.visible_to(request.user).filter(contract=contract)
    approved = {
        (row.person_id, row.week): row
        for row in WeekApproval.objects.visible_to(request.user).filter(contract=contract).select_related("approved_by")
    }
    weeks = [dict(row, approval=approved.get((row["person_id"], row["week"]))) for row in week_totals(entries)]
    context = {"contract": contract, "weeks": weeks[:200], "may_approve": can_approve_time(request.user, contract)}
    return render(request, "billing/approvals.html", context, status=status)


@billing_contract_view(can_read_invoices, methods=("GET", "HEAD", "POST"))
def invoices(request: HttpRequest, contract: Contract) -> HttpResponse:
    form = IssueInvoiceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invoice = issue_invoice(actor=request.user, contract=contract, month=form.cleaned_data["month"])
            except ActionRefused as refused:
                _refused(form, refused)
                status = refused.status
            else:
                return redirect(invoice.get_absolute_url())
        else:
            status = 422
    listed = Invoice.objects.visible_to(request.user).filter(contract=contract).select_related("issued_by")
    context = {
        "contract": contract,
        "invoices": listed,
        "form": form,
        "may_issue": can_issue_invoice(request.user, contract),
    }
    return render(request, "billing/invoices.html", context, status=status)


def visible_invoice(request: HttpRequest, slug: str, month: str) -> Invoice:
    return get_object_or_404(
        Invoice.objects.visible_to(request.user).select_related("contract", "report", "issued_by", "contract_version"),
        contract__slug=slug,
        month=month,
    )


@person_view(signed_in)
def invoice(request: HttpRequest, slug: str, month: str) -> HttpResponse:
    found = visible_invoice(request, slug, month)
    entries = approved_entries(TimeEntry.objects.visible_to(request.user), found.contract, found.month)
    return render(request, "billing/invoice.html", {"invoice": found, "body": found.body, "entries": entries})


@person_view(signed_in)
def invoice_pdf_file(request: HttpRequest, slug: str, month: str) -> HttpResponse:
    found = visible_invoice(request, slug, month)
    entries = approved_entries(TimeEntry.objects.visible_to(request.user), found.contract, found.month)
    return _attachment(invoice_pdf(found, entries, language=get_language() or "en"), "application/pdf", found, "pdf")


@person_view(signed_in)
def invoice_xlsx_file(request: HttpRequest, slug: str, month: str) -> HttpResponse:
    found = visible_invoice(request, slug, month)
    entries = approved_entries(TimeEntry.objects.visible_to(request.user), found.contract, found.month)
    return _attachment(invoice_workbook(found, entries), XLSX, found, "xlsx")


def _attachment(content: bytes, content_type: str, found: Invoice, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="invoice-{found.contract.slug}-{found.month}.{extension}"'
    return response
