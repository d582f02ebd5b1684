"""The requester portal: report an incident or request a service, follow one's own tickets."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicepact import permissions
from servicepact.contracts.models import Contract, Service, attach_terms
from servicepact.desk import actions
from servicepact.desk.forms import KIND_TITLES, NewTicketForm
from servicepact.desk.models import Attachment, Kind, Ticket
from servicepact.desk.views.portal_manager import manager_view, manages_customer
from servicepact.desk.views.ticket_actions import add_refusal
from servicepact.permissions.declared import person_view, signed_in
from servicepact.refusals import ActionRefused

PAGE_SIZE = 25


def reportable_services(user):
    """Services of the contracts whose customer is the person's organization: what they may report on."""
    contracts = [
        c
        for c in Contract.objects.visible_to(user).select_related("customer")
        if permissions.can_create_ticket(user, c)
    ]
    return Service.objects.visible_to(user).filter(contract__in=contracts).order_by("contract__slug", "key")


def may_report(user) -> bool:
    return reportable_services(user).exists()


@person_view(signed_in)
def portal(request: HttpRequest) -> HttpResponse:
    who = permissions.principal_of(request.user)
    mine = Q(requester=request.user) | Q(watchers=request.user)
    tickets = (
        Ticket.objects.visible_to(request.user)
        .filter(mine)
        .distinct()
        .select_related("service", "team")
        .order_by("-created_at")
    )
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    attach_terms(ticket.service for ticket in page)
    return render(
        request,
        "desk/portal.html",
        {
            "page": page,
            "may_report": may_report(request.user),
            "organization_kind": who.organization_kind,
            "manager": manager_view(request.user) if manages_customer(request.user) else None,
        },
    )


@person_view(may_report, methods=("GET", "HEAD", "POST"))
def new_ticket(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in Kind.values:
        raise Http404(kind)
    services = reportable_services(request.user)
    form = NewTicketForm(request.POST or None, request.FILES or None, services=services)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a refused attachment leaves no ticket behind without it.
            with transaction.atomic():
                ticket = _create(request, kind, data)
        except ActionRefused as refusal:
            if "upload" in refusal.errors:
                refusal.errors["attachment"] = refusal.errors.pop("upload")
            add_refusal(form, refusal)
        else:
            messages.success(
                request, _("Ticket %(number)s is recorded; the service desk has it.") % {"number": ticket.number}
            )
            return redirect(ticket.get_absolute_url())
    context = {"form": form, "kind": kind, "heading": KIND_TITLES[kind]}
    return render(request, "desk/portal_new.html", context, status=422 if form.errors else 200)


def _create(request: HttpRequest, kind: str, data: dict) -> Ticket:
    ticket = actions.create_ticket(
        actor=request.user,
        contract=data["service"].contract,
        service=data["service"],
        title=data["title"],
        description=data["description"],
        impact=data["impact"],
        urgency=data["urgency"],
        kind=kind,
        category=data["category"],
    )
    if data["attachment"]:
        actions.add_attachment(ticket, actor=request.user, upload=data["attachment"], public=True)
    return ticket


@person_view(signed_in)
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """An attachment's file, for people who see its ticket (and, for private files, internal material);
    a file one may not see is not found."""
    found = get_object_or_404(Attachment.objects.visible_to(request.user), pk=attachment_id)
    return FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.filename, content_type=found.content_type
    )
