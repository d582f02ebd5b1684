"""Restating a ticket's clocks from its page: the form under the clock panel posts here.

Success goes back to the ticket page at its restatements; a refusal (no such version, no reason, a
version that cannot time the ticket) shows the ticket page again with the form open and its errors, 422.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from servicepact import permissions
from servicepact.desk.models import Ticket
from servicepact.desk.views.access import ticket_view
from servicepact.desk.views.clocks import clock_panel
from servicepact.desk.views.ticket_actions import add_refusal
from servicepact.desk.views.ticket_page import page_context, page_template
from servicepact.refusals import ActionRefused
from servicepact.slm.actions import restate
from servicepact.slm.forms import RestateForm


@ticket_view(permissions.can_restate)
def ticket_restate(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = RestateForm(request.POST, ticket=ticket)
    if form.is_valid():
        try:
            restate(
                ticket, actor=request.user, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
            )
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            return redirect(f"{ticket.get_absolute_url()}#restatements")
    context = page_context(request, ticket)
    context["clock_panel"] = clock_panel(ticket, request.user, restate_form=form)
    return render(request, page_template(context["internal"]), context, status=422)
