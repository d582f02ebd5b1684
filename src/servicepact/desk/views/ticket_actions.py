"""One view per ticket action: validate the form, call the action, answer the page or the HTMX post.

Success: an HTMX post gets the re-rendered ticket (the page's ``#ticket`` element); a plain post is
redirected to the ticket page. Refusal (bad form or ActionRefused): the form comes back with its errors
inline, status 422; for HTMX it replaces just that form.
"""

from collections.abc import Callable

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import reswap, retarget

from servicepact import permissions
from servicepact.desk import actions
from servicepact.desk.models import Ticket
from servicepact.desk.views.access import TICKET_RELATIONS, ticket_view
from servicepact.desk.views.ticket_page import SPECS, BoundAction, build_form, page_context, page_template
from servicepact.refusals import ActionRefused

Perform = Callable[[forms.Form], object]


def add_refusal(form: forms.Form, refusal: ActionRefused) -> None:
    """The action's errors onto the form: by field where the form has it, else above the form."""
    if not refusal.errors:
        form.add_error(None, refusal.message)
    for name, problems in refusal.errors.items():
        form.add_error(name if name in form.fields else None, problems)


def run(request: HttpRequest, ticket: Ticket, name: str, perform: Perform) -> HttpResponse:
    spec = SPECS[name]
    form = build_form(spec, ticket, request.POST, request.FILES)
    if form.is_valid():
        try:
            perform(form)
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            return _answer_success(request, ticket)
    return _answer_refusal(request, ticket, BoundAction(spec, form, reverse(f"desk:{name}", args=[ticket.number])))


def _answer_success(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    if not request.htmx:
        return redirect(ticket.get_absolute_url())
    fresh = Ticket.objects.visible_to(request.user).select_related(*TICKET_RELATIONS).get(pk=ticket.pk)
    context = page_context(request, fresh)
    return render(request, page_template(context["internal"], fragment=True), context)


def _answer_refusal(request: HttpRequest, ticket: Ticket, bound: BoundAction) -> HttpResponse:
    context = page_context(request, ticket, bound)
    if request.htmx:
        response = render(request, "desk/partials/action_form.html", {**context, "action": bound}, status=422)
        return reswap(retarget(response, f"#action-{bound.name}"), "outerHTML")
    return render(request, page_template(context["internal"]), context, status=422)


@ticket_view(permissions.can_reply)
def reply(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return run(
        request, ticket, "reply", lambda form: actions.reply(ticket, actor=request.user, body=form.cleaned_data["body"])
    )


@ticket_view(permissions.can_see_internal)
def note(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return run(
        request,
        ticket,
        "note",
        lambda form: actions.add_note(ticket, actor=request.user, body=form.cleaned_data["body"]),
    )


@ticket_view(permissions.can_triage)
def route(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return run(request, ticket, "route", lambda form: actions.route_ticket(ticket, actor=request.user))


@ticket_view(permissions.can_work_ticket)
def assign(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    if request.POST.get("refresh") == "team":
        return _assign_form_for_chosen_team(request, ticket)

    def perform(form: forms.Form) -> object:
        data = form.cleaned_data
        same_team = data["team"] == ticket.team
        if same_team and (data["assignee"] is not None or ticket.assignee_id is not None):
            # Inside the holding team only the person changes; the reason, if any, is kept with it.
            return actions.set_assignee(ticket, actor=request.user, assignee=data["assignee"], reason=data["reason"])
        return actions.assign_ticket(
            ticket, actor=request.user, team=data["team"], assignee=data["assignee"], reason=data["reason"]
        )

    return run(request, ticket, "assign", perform)


def _assign_form_for_chosen_team(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    """The assign form again, its person list the members of the team just chosen; nothing is assigned."""
    spec = SPECS["assign"]
    posted = spec.form_class(request.POST, prefix=spec.name, ticket=ticket)
    team = posted.fields["team"].queryset.filter(pk=posted.fields["team"].initial).first()
    form = spec.form_class(
        prefix=spec.name, ticket=ticket, team=team, initial={"reason": request.POST.get("assign-reason", "")}
    )
    bound = BoundAction(spec, form, reverse("desk:assign", args=[ticket.number]), open=True)
    return render(request, "desk/partials/action_form.html", {"action": bound, "ticket": ticket})


@ticket_view(permissions.can_work_ticket)
def change_status(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return run(
        request,
        ticket,
        "status",
        lambda form: actions.change_status(
            ticket, actor=request.user, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
        ),
    )


@ticket_view(permissions.can_triage)
def change_priority(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return run(
        request,
        ticket,
        "priority",
        lambda form: actions.change_priority(ticket, actor=request.user, **form.action_arguments()),
    )


@ticket_view(permissions.can_triage)
def correct(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return run(
        request,
        ticket,
        "correct",
        lambda form: actions.correct_classification(ticket, actor=request.user, **form.action_arguments()),
    )


@ticket_view(permissions.can_work_ticket)
def resolve(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return run(
        request,
        ticket,
        "resolve",
        lambda form: actions.resolve_ticket(ticket, actor=request.user, resolution=form.cleaned_data["resolution"]),
    )


@ticket_view(permissions.can_reopen)
def reopen(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return run(
        request,
        ticket,
        "reopen",
        lambda form: actions.reopen_ticket(ticket, actor=request.user, reason=form.cleaned_data["reason"]),
    )


@ticket_view(permissions.can_close)
def close(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return run(request, ticket, "close", lambda form: actions.close_ticket(ticket, actor=request.user))


@ticket_view(permissions.can_reply)
def attach(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    def perform(form: forms.Form) -> object:
        # Only people who see internal material may keep a file from the requester.
        public = form.cleaned_data["public"] or not permissions.can_see_internal(request.user, ticket)
        return actions.add_attachment(ticket, actor=request.user, upload=form.cleaned_data["upload"], public=public)

    return run(request, ticket, "attach", perform)


@ticket_view(permissions.can_see_ticket)
def watch(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    """Follow the ticket, or stop following it when already watching."""

    def perform(form: forms.Form) -> object:
        if Ticket.objects.visible_to(request.user).filter(pk=ticket.pk, watchers=request.user).exists():
            return actions.remove_watcher(ticket, actor=request.user, user=request.user)
        return actions.add_watcher(ticket, actor=request.user, user=request.user)

    return run(request, ticket, "watch", perform)
