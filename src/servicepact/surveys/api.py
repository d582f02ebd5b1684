"""Satisfaction in the API: a contract's results month by month, the answered surveys, and the requester's
answer to their ticket's survey.

The results are for the contract's report readers (both parties); a ticket's survey is answered by its
requester. A contract or ticket one may not see is not found (404).
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.permissions.declared import on_object
from servicepact.permissions.surveys import reads_survey_results, requested_ticket
from servicepact.request_bodies import InputSchema
from servicepact.surveys import actions, queries
from servicepact.surveys.models import AnsweredVia, TicketSurvey

router = Router(tags=["satisfaction"])
LIST_LIMIT = 500


class MonthOut(Schema):
    month: date
    invited: int
    answered: int
    mean: float | None = Field(..., description="Mean score (1 to 5) of the month's answers; null without any.")
    response_rate: float | None
    by_score: dict[int, int]


class AnswerOut(Schema):
    ticket: str = Field(..., alias="ticket.number")
    score: int
    comment: str
    answered_at: datetime
    answered_via: str


class ResultsOut(Schema):
    contract: str
    zone: str = Field(..., description="The contract's reporting time zone, which cuts the months.")
    months: list[MonthOut]
    answers: list[AnswerOut]


class AnswerIn(InputSchema):
    score: int = Field(..., ge=1, le=5, description="1 (very dissatisfied) to 5 (very satisfied).")
    comment: str = Field("", max_length=2000)


def visible_ticket(request: HttpRequest, number: str) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(request.auth), number=number)


@router.get(
    "/contracts/{slug}/satisfaction",
    response=ResultsOut,
    summary="A contract's satisfaction results: months and answers",
    operation_id="satisfaction_results",
)
@on_object("slug", "contract", visible_contract, reads_survey_results, "The contract's report readers.")
def satisfaction_results(request: HttpRequest, contract: Contract):
    surveys = TicketSurvey.objects.visible_to(request.auth).filter(contract=contract)
    zone = queries.reporting_zone(contract)
    answers = surveys.answered().select_related("ticket").order_by("-answered_at")[:LIST_LIMIT]
    return {
        "contract": contract.slug,
        "zone": zone,
        "months": queries.monthly_results(surveys, zone),
        "answers": list(answers),
    }


@router.post(
    "/tickets/{number}/survey",
    response=AnswerOut,
    summary="Answer the satisfaction survey of one's resolved ticket",
    operation_id="answer_survey",
)
@on_object("number", "ticket", visible_ticket, requested_ticket, "The ticket's requester.")
def answer_survey(request: HttpRequest, ticket: Ticket, body: AnswerIn):
    survey = get_object_or_404(TicketSurvey.objects.visible_to(request.auth), ticket=ticket)
    return actions.answer_ticket_survey(
        survey, actor=request.auth, via=AnsweredVia.API, score=body.score, comment=body.comment
    )
