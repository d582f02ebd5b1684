"""Bulk actions on a queue: the ticked tickets assigned to a team, routed, or moved to a status, with one reason.

All or nothing: the tickets are changed in one transaction, each by its own action (permissions, rules,
events and clocks as one by one); the first refusal undoes the others and is shown with its ticket's number.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from servicepact.desk import actions
from servicepact.desk.forms import BulkForm
from servicepact.desk.models import Ticket
from servicepact.permissions.declared import person_view, works_tickets
from servicepact.refusals import ActionRefused

BULK_MAX = 100


def _perform(ticket: Ticket, user, data: dict) -> None:
    if data["action"] == "assign":
        actions.assign_ticket(ticket, actor=user, team=data["team"], reason=data["reason"])
    elif data["action"] == "route":
        actions.route_ticket(ticket, actor=user)
    else:
        actions.change_status(ticket, actor=user, status=data["status"], reason=data["reason"])


@person_view(works_tickets, methods=("POST",))
def bulk(request: HttpRequest, key: str) -> HttpResponse:
    back = reverse("desk:queue", args=[key]) + "?" + request.POST.get("query", "")
    numbers = request.POST.getlist("tickets")[:BULK_MAX]
    form = BulkForm(request.POST, user=request.user)
    if not numbers:
        messages.error(request, _("Tick the tickets first."))
        return redirect(back)
    if not form.is_valid():
        problems = [str(problem) for errors in form.errors.values() for problem in errors]
        messages.error(request, " ".join(problems))
        return redirect(back)
    tickets = list(Ticket.objects.visible_to(request.user).filter(number__in=numbers).order_by("number"))
    try:
        with transaction.atomic():
            for ticket in tickets:
                try:
                    _perform(ticket, request.user, form.cleaned_data)
                except (ActionRefused, PermissionDenied) as refusal:
                    text = getattr(refusal, "message", None) or str(refusal)
                    raise ActionRefused(
                        _("%(number)s: %(problem)s Nothing was changed.") % {"number": ticket.number, "problem": text}
                    ) from refusal
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(back)
    messages.success(
        request,
        _("Done for %(count)d tickets: %(numbers)s.")
        % {"count": len(tickets), "numbers": ", ".join(t.number for t in tickets)},
    )
    return redirect(back)
