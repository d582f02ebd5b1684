"""Bulk actions on a queue: the ticked tickets assigned to a team, routed, or moved to a status, with one reason.

All or nothing: the tickets are changed in one transaction, each by its own action (permissions, rules,
events and clocks as one by one); the first refusal undoes the others and is shown with its ticket's number.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.accounts.models import Team
from servicepact.desk import actions
from servicepact.desk.models import Status, Ticket
from servicepact.permissions.declared import person_view, works_tickets
from servicepact.refusals import ActionRefused

BULK_MAX = 100
BULK_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER, Status.PENDING_VENDOR)


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("With the ticked tickets"),
        choices=[
            ("assign", gettext_lazy("assign to a team")),
            ("route", gettext_lazy("route by the matrix")),
            ("status", gettext_lazy("change the status")),
        ],
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team.objects.none(), required=False, empty_label="—"
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", "—"), *[(value, label) for value, label in Status.choices if value in BULK_STATUSES]],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.visible_to(user).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("team"):
            self.add_error("team", _("Choose the team."))
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", _("Choose the status."))
        return data


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
