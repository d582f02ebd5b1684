"""The ticket page: header, SLA clocks, timeline, and the forms of the actions the viewer may take.

Agents and resolvers get the full page; requesters and customer managers the portal's public page.
Both render from one context, so an action answering an HTMX post re-renders exactly what the page shows.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact import permissions
from servicepact.desk.forms import (
    AssignForm,
    AttachmentForm,
    BodyForm,
    CorrectionForm,
    PriorityForm,
    ReasonForm,
    ResolveForm,
    StatusForm,
    team_members,
)
from servicepact.desk.models import Attachment, Status, Ticket
from servicepact.desk.routing import matching_rule
from servicepact.desk.views.access import ticket_view
from servicepact.desk.views.canned import canned_replies
from servicepact.desk.views.clocks import clock_panel
from servicepact.desk.views.timeline import timeline
from servicepact.refusals import ActionRefused


class EmptyForm(forms.Form):
    """For actions that need no input (route, close, watch): still a form, to carry refusals."""


@dataclass(frozen=True)
class ActionSpec:
    name: str
    title: Any
    submit: Any
    form_class: type[forms.Form]
    needs_ticket: bool = False  # the form's choices depend on the ticket
    multipart: bool = False
    danger: bool = False


SPECS = {
    spec.name: spec
    for spec in [
        ActionSpec("reply", _("Reply to the requester"), _("Send reply"), BodyForm),
        ActionSpec("note", _("Internal note"), _("Add note"), BodyForm),
        ActionSpec("route", _("Route by the responsibility matrix"), _("Route"), EmptyForm),
        ActionSpec("assign", _("Assign"), _("Assign"), AssignForm, needs_ticket=True),
        ActionSpec("status", _("Change status"), _("Change status"), StatusForm, needs_ticket=True),
        ActionSpec("priority", _("Change priority"), _("Change priority"), PriorityForm, needs_ticket=True),
        ActionSpec(
            "correct", _("Correct service or category"), _("Record the correction"), CorrectionForm, needs_ticket=True
        ),
        ActionSpec("resolve", _("Resolve"), _("Resolve"), ResolveForm),
        ActionSpec("reopen", _("Reopen"), _("Reopen"), ReasonForm),
        ActionSpec("close", _("Close"), _("Close"), EmptyForm),
        ActionSpec("attach", _("Attach a file"), _("Upload"), AttachmentForm, multipart=True),
        ActionSpec("watch", _("Watch"), _("Watch"), EmptyForm),
    ]
}


@dataclass
class BoundAction:
    spec: ActionSpec
    form: forms.Form
    url: str
    open: bool = False  # shown expanded: it carries errors

    @property
    def name(self) -> str:
        return self.spec.name


def build_form(spec: ActionSpec, ticket: Ticket, data=None, files=None) -> forms.Form:
    kwargs: dict = {"prefix": spec.name}
    if spec.needs_ticket:
        kwargs["ticket"] = ticket
    return spec.form_class(data, files, **kwargs)


def available_actions(user, ticket: Ticket) -> list[str]:
    """The actions this viewer may take on this ticket now, in the order the page lists them."""
    finished = ticket.status in (Status.RESOLVED, Status.CLOSED)
    works = permissions.can_work_ticket(user, ticket)
    names = []
    if permissions.can_reply(user, ticket) and ticket.status != Status.CLOSED:
        names.append("reply")
    if works and permissions.can_see_internal(user, ticket):
        names.append("note")
    triages = permissions.can_triage(user, ticket)
    if not finished and triages:
        names += ["route", "priority"]
    if triages:  # a correction is about the ticket's whole life: also once it is resolved or closed
        names.append("correct")
    if not finished and works:
        names += ["assign", "status", "resolve"]
    if ticket.status == Status.RESOLVED and permissions.can_reopen(user, ticket):
        names.append("reopen")
    if ticket.status == Status.RESOLVED and permissions.can_close(user, ticket):
        names.append("close")
    if ticket.status != Status.CLOSED and permissions.can_reply(user, ticket):
        names.append("attach")
    names.append("watch")
    return names


def page_context(request: HttpRequest, ticket: Ticket, bound: BoundAction | None = None) -> dict:
    user = request.user
    internal = permissions.can_see_internal(user, ticket)
    actions = {}
    for name in available_actions(user, ticket):
        spec = SPECS[name]
        url = reverse(f"desk:{name}", args=[ticket.number])
        actions[name] = BoundAction(spec, build_form(spec, ticket), url)
    if bound is not None:
        bound.open = True
        actions[bound.name] = bound
    watching = Ticket.objects.visible_to(user).filter(pk=ticket.pk, watchers=user).exists()
    route_target, route_problem = None, ""
    if "route" in actions:
        try:
            rule = matching_rule(ticket)
            route_target = _("the requester's own IT") if rule.to_requester else rule.team
        except ActionRefused as refusal:
            route_problem = refusal.message
    attachments = Attachment.objects.visible_to(user).filter(ticket=ticket).select_related("uploaded_by")
    return {
        "takes": "assign" in actions and takes_ticket(user, ticket),
        "canned": canned_replies(user, ticket) if "reply" in actions and internal else [],
        "ticket": ticket,
        "internal": internal,
        "actions": actions,
        "watching": watching,
        "route_target": route_target,
        "route_problem": route_problem,
        "entries": timeline(ticket, user),
        "clock_panel": clock_panel(ticket, user),
        "attachments": attachments,
    }


def takes_ticket(user, ticket: Ticket) -> bool:
    """Whether "Assign to me" fits: the viewer is a member of the holding team and not yet its assignee."""
    if ticket.team_id is None or ticket.assignee_id == user.pk:
        return False
    return team_members(ticket.team).filter(pk=user.pk).exists()


def page_template(internal: bool, fragment: bool = False) -> str:
    if internal:
        return "desk/partials/ticket_body.html" if fragment else "desk/ticket.html"
    return "desk/partials/portal_ticket_body.html" if fragment else "desk/portal_ticket.html"


@ticket_view(permissions.can_see_ticket, methods=("GET", "HEAD"))
def ticket_detail(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    context = page_context(request, ticket)
    return render(request, page_template(context["internal"]), context)
