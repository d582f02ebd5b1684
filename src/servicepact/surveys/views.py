"""Survey pages: the answer by the mail's link (its token stands for the requester), the answer from the
ticket's page in the portal, a contract's results, and a relationship survey."""

from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.permissions.declared import object_view, open_view
from servicepact.permissions.surveys import (
    can_answer_round,
    can_answer_ticket_survey,
    can_open_round,
    reads_survey_results,
    requested_ticket,
)
from servicepact.refusals import ActionRefused
from servicepact.surveys import actions, queries
from servicepact.surveys.forms import AnswerForm, OpenRoundForm
from servicepact.surveys.models import AnsweredVia, RelationshipAnswer, RelationshipRound, TicketSurvey

READ = ("GET", "HEAD")


def visible_ticket(request: HttpRequest, number: str) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(request.user), number=number)


def visible_round(request: HttpRequest, round_id: int) -> RelationshipRound:
    rounds = RelationshipRound.objects.visible_to(request.user).select_related("contract")
    return get_object_or_404(rounds, pk=round_id)


contract_view = object_view(visible_contract, "slug")
ticket_view = object_view(visible_ticket, "number")
round_view = object_view(visible_round, "round_id")


def _refused(form: AnswerForm, refusal: ActionRefused) -> None:
    for field, problems in (refusal.errors or {"__all__": [refusal.message]}).items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@open_view("answering a ticket's survey by the mail's link, whose token stands for the requester")
def answer(request: HttpRequest, token: str) -> HttpResponse:
    survey = queries.survey_by_token(token)
    if survey is None:
        raise Http404("No such survey.")
    # A score in the link (the mail's "one click") fills the form; the answer is still a POST.
    form = AnswerForm(request.POST or None, initial={"score": request.GET.get("score")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.answer_ticket_survey(
                    survey,
                    actor=None,
                    via=AnsweredVia.LINK,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ActionRefused as refusal:
                _refused(form, refusal)
            else:
                return redirect("surveys:answer", token=token)
        status = 422
    survey.refresh_from_db()
    context = {"survey": survey, "form": form, "open": survey.is_open()}
    return render(request, "surveys/answer.html", context, status=status)


@ticket_view(requested_ticket)
def answer_from_portal(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    survey = get_object_or_404(TicketSurvey.objects.visible_to(request.user), ticket=ticket)
    if not can_answer_ticket_survey(request.user, survey):
        return redirect(ticket.get_absolute_url())
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            actions.answer_ticket_survey(
                survey,
                actor=request.user,
                via=AnsweredVia.PORTAL,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Thank you for your answer."))
    else:
        messages.error(request, _("Choose a score from 1 to 5."))
    return redirect(ticket.get_absolute_url())


def _results_page(request: HttpRequest, contract: Contract, form: OpenRoundForm | None, status: int = 200):
    surveys = TicketSurvey.objects.visible_to(request.user).filter(contract=contract)
    rounds = RelationshipRound.objects.visible_to(request.user).filter(contract=contract)
    answers = RelationshipAnswer.objects.visible_to(request.user)
    may_open = can_open_round(request.user, contract)
    context = {
        "contract": contract,
        "zone": queries.reporting_zone(contract),
        "months": queries.monthly_results(surveys, queries.reporting_zone(contract)),
        "comments": queries.recent_comments(surveys),
        "rounds": queries.round_results(rounds, answers),
        "form": form or (OpenRoundForm() if may_open else None),
        "may_open": may_open,
    }
    return render(request, "surveys/results.html", context, status=status)


@contract_view(reads_survey_results, methods=READ)
def results(request: HttpRequest, contract: Contract) -> HttpResponse:
    return _results_page(request, contract, None)


@contract_view(can_open_round)
def open_round(request: HttpRequest, contract: Contract) -> HttpResponse:
    form = OpenRoundForm(request.POST)
    if form.is_valid():
        closes_at: datetime = form.cleaned_data["closes_at"]
        try:
            survey_round = actions.open_round(
                contract, actor=request.user, title=form.cleaned_data["title"], closes_at=closes_at
            )
        except ActionRefused as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("The relationship survey is open; the customer's managers are asked by mail."))
            return redirect("surveys:round", round_id=survey_round.pk)
    return _results_page(request, contract, form, status=422)


@round_view(methods=("GET", "HEAD", "POST"))
def round_page(request: HttpRequest, survey_round: RelationshipRound) -> HttpResponse:
    may_answer = can_answer_round(request.user, survey_round)
    answers = RelationshipAnswer.objects.visible_to(request.user).filter(round=survey_round).select_related("person")
    own = answers.filter(person=request.user).first()
    form = AnswerForm(request.POST or None) if may_answer and own is None else None
    status = 200
    if request.method == "POST":
        if form is None:
            return redirect("surveys:round", round_id=survey_round.pk)
        if form.is_valid():
            try:
                actions.answer_round(
                    survey_round,
                    actor=request.user,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ActionRefused as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _("Thank you for your answer."))
                return redirect("surveys:round", round_id=survey_round.pk)
        status = 422
    context = {
        "round": survey_round,
        "form": form,
        "own": own,
        "answers": answers if reads_survey_results(request.user, survey_round.contract) else [],
        "open": survey_round.is_open(),
    }
    return render(request, "surveys/round.html", context, status=status)
