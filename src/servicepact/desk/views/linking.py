"""The related-tickets panel's posts: link a ticket, remove a link, merge this ticket into another.

Success redirects to a ticket page with a message; a refusal renders this ticket's page again, status 422,
with the errors in the panel and what was typed kept.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from servicepact.desk.actions.linking import link_tickets, unlink
from servicepact.desk.actions.merging import merge_tickets
from servicepact.desk.forms_links import LinkForm, MergeForm, UnlinkForm
from servicepact.desk.models import Ticket, TicketLink
from servicepact.desk.views.access import ticket_view
from servicepact.desk.views.ticket_page import page_context, page_template
from servicepact.permissions import can_work_ticket
from servicepact.permissions.links import can_link_tickets, can_merge_tickets
from servicepact.refusals import ActionRefused

PANEL = "#ticket-links"


def _form_errors(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]


def _refused(request: HttpRequest, ticket: Ticket, where: str, problems: list[str]) -> HttpResponse:
    context = page_context(request, ticket)
    posted = request.POST.dict()
    if where == "merge":
        posted["merge_reason"] = posted.get("reason", "")
    context |= {"link_errors": {where: problems}, "link_posted": posted}
    return render(request, page_template(context["internal"]), context, status=422)


def _other(request: HttpRequest, number: str, field: str) -> Ticket:
    other = Ticket.objects.visible_to(request.user).filter(number=number).first()
    if other is None:
        message = _("No ticket %(number)s among those you see.") % {"number": number}
        raise ActionRefused(message, errors={field: [message]})
    return other


@ticket_view(can_link_tickets)
def link(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _refused(request, ticket, "link", _form_errors(form))
    data = form.cleaned_data
    try:
        other = _other(request, data["target"], "target")
        made = link_tickets(ticket, actor=request.user, other=other, kind=data["kind"], reason=data["reason"])
    except ActionRefused as refusal:
        return _refused(request, ticket, "link", [refusal.message])
    except PermissionDenied:
        return _refused(request, ticket, "link", [_("You may not link these tickets.")])
    messages.success(
        request,
        _("Linked: %(source)s %(kind)s %(target)s.")
        % {"source": made.source.number, "kind": made.get_kind_display(), "target": made.target.number},
    )
    return redirect(ticket.get_absolute_url() + PANEL)


@ticket_view(can_work_ticket)
def remove_link(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = UnlinkForm(request.POST)
    if not form.is_valid():
        return _refused(request, ticket, "unlink", _form_errors(form))
    found = (
        TicketLink.objects.visible_to(request.user)
        .filter(pk=form.cleaned_data["link"], removed_at__isnull=True)
        .select_related("source", "target")
        .first()
    )
    if found is None or ticket.pk not in (found.source_id, found.target_id):
        return _refused(request, ticket, "unlink", [_("This ticket has no such link.")])
    try:
        unlink(found, actor=request.user, reason=form.cleaned_data["reason"])
    except ActionRefused as refusal:
        return _refused(request, ticket, "unlink", [refusal.message])
    messages.success(request, _("The link was removed."))
    return redirect(ticket.get_absolute_url() + PANEL)


@ticket_view(can_merge_tickets)
def merge(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _refused(request, ticket, "merge", _form_errors(form))
    try:
        survivor = _other(request, form.cleaned_data["survivor"], "survivor")
        merge_tickets(ticket, actor=request.user, survivor=survivor, reason=form.cleaned_data["reason"])
    except ActionRefused as refusal:
        return _refused(request, ticket, "merge", [refusal.message])
    except PermissionDenied:
        return _refused(
            request, ticket, "merge", [_("You may not merge into %(number)s.") % {"number": survivor.number}]
        )
    messages.success(request, _("%(duplicate)s was merged into this ticket.") % {"duplicate": ticket.number})
    return redirect(survivor.get_absolute_url())
