"""Problem management in the API: problems, their incidents, cause and workaround, known errors (and the
ones that match a ticket), closing, and the suggestions of recurring incidents.

Reading is for the contract's readers (the provider's people, the customer's managers, analysts and
administrators); writing for the provider's staff. A record of another tenant is not found (404).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from servicepact.changes.models import Change
from servicepact.cmdb.models import ConfigurationItem
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract, Service
from servicepact.desk.models import Ticket
from servicepact.idempotency.keys import idempotent
from servicepact.permissions import can_work_ticket
from servicepact.permissions.declared import allow, holds_a_role, on_object
from servicepact.permissions.problems import (
    can_read_problems,
    can_set_recurrence,
    can_work_problem,
    can_work_problems,
    can_work_suggestion,
)
from servicepact.problems import actions
from servicepact.problems.models import KnownError, Problem, ProblemIncident, ProblemSuggestion, SuggestionStatus
from servicepact.problems.queries import matching_known_errors
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema

router = Router(tags=["problems"])


class ProblemOut(Schema):
    id: int
    number: str
    contract: str = Field(..., alias="contract.slug")
    service: str = Field(..., alias="service.key")
    category: str
    title: str
    description: str
    status: str
    cause: str
    root_cause: str
    workaround: str
    configuration_items: list[str]
    fixing_change: str | None
    opened_at: datetime
    closed_at: datetime | None
    closure: str
    fixed_by: str

    @staticmethod
    def resolve_configuration_items(obj, context) -> list[str]:
        items = ConfigurationItem.objects.visible_to(context["request"].auth).filter(problems=obj)
        return list(items.values_list("key", flat=True))

    @staticmethod
    def resolve_fixing_change(obj, context) -> str | None:
        changes = Change.objects.visible_to(context["request"].auth).filter(problems_fixed=obj)
        found = changes.first()
        return found.number if found else None


class ProblemDetailOut(ProblemOut):
    incidents: list[str] = Field(..., alias="incident_numbers")
    known_error: int | None = Field(None, alias="known_error_pk")


class ProblemIn(InputSchema):
    contract: str
    title: str
    service: str = ""
    category: str = ""
    description: str = ""
    incidents: list[str] = Field(default_factory=list, description="Ticket numbers of the contract's incidents.")


class DiagnoseIn(InputSchema):
    cause: str
    root_cause: str = ""
    workaround: str = ""


class KnownErrorIn(InputSchema):
    title: str = ""
    symptoms: str
    workaround: str = ""
    keywords: str = ""


class KnownErrorOut(Schema):
    id: int
    number: str
    problem: str = Field(..., alias="problem.number")
    title: str
    symptoms: str
    workaround: str
    keywords: str
    active: bool
    published_at: datetime


class MatchOut(Schema):
    known_error: KnownErrorOut
    score: int


class ProblemIncidentsIn(InputSchema):
    incidents: list[str]


class FixingChangeIn(InputSchema):
    change: str = Field(..., description="The change's number (CHG0000042).")


class ClosureIn(InputSchema):
    closure: str


class ItemsIn(InputSchema):
    items: list[str] = Field(..., description="The ids of configuration items of the problem's contract.")


class RaiseSuggestionIn(InputSchema):
    title: str


class DismissIn(InputSchema):
    reason: str


class RecurrenceIO(InputSchema):
    threshold: int = Field(..., description="Incidents of one service and category (2 to 1000)...")
    window_days: int = Field(..., description="...within this many days (1 to 365) suggest a problem.")


class LinkKnownErrorIn(InputSchema):
    known_error: int


class SuggestionOut(Schema):
    id: int
    contract: str = Field(..., alias="contract.slug")
    service: str = Field(..., alias="service.key")
    category: str
    incident_count: int
    threshold: int
    window_days: int
    first_at: datetime
    last_at: datetime
    status: str
    tickets: list[str]

    @staticmethod
    def resolve_tickets(obj, context) -> list[str]:
        tickets = Ticket.objects.visible_to(context["request"].auth).filter(problem_suggestions=obj)
        return list(tickets.values_list("number", flat=True))


def visible_problem(request: HttpRequest, problem_id: str) -> Problem:
    if not str(problem_id).isascii() or not str(problem_id).isdigit() or len(str(problem_id)) > 18:
        raise Http404("No such problem.")
    rows = Problem.objects.visible_to(request.auth).select_related("contract", "service")
    return get_object_or_404(rows, pk=int(problem_id))


def visible_suggestion(request: HttpRequest, suggestion_id: str) -> ProblemSuggestion:
    if not str(suggestion_id).isascii() or not str(suggestion_id).isdigit() or len(str(suggestion_id)) > 18:
        raise Http404("No such suggestion.")
    rows = ProblemSuggestion.objects.visible_to(request.auth).select_related("contract", "service")
    return get_object_or_404(rows, pk=int(suggestion_id))


def visible_ticket(request: HttpRequest, number: str) -> Ticket:
    if "\x00" in number:
        raise Http404("No such ticket.")
    return get_object_or_404(Ticket.objects.visible_to(request.auth).select_related("contract"), number=number)


def _tickets(request: HttpRequest, numbers: list[str], field: str = "incidents") -> list[Ticket]:
    numbers = [number.strip().upper() for number in numbers if number and number.strip()]
    found = {t.number: t for t in Ticket.objects.visible_to(request.auth).filter(number__in=numbers)}
    missing = [number for number in numbers if number not in found]
    if missing:
        message = f"No such ticket: {', '.join(missing)}."
        raise ActionRefused(message, errors={field: [message]})
    return [found[number] for number in dict.fromkeys(numbers)]


def _detail(request: HttpRequest, problem: Problem) -> Problem:
    """The problem with the numbers of the incidents and the known error the person sees."""
    links = ProblemIncident.objects.visible_to(request.auth).filter(problem=problem).select_related("ticket")
    problem.incident_numbers = [link.ticket.number for link in links]
    known = KnownError.objects.visible_to(request.auth).filter(problem=problem)
    problem.known_error_pk = known.values_list("pk", flat=True).first()
    return problem


@router.get("/problems", response=list[ProblemOut], summary="Problems you may read", operation_id="list_problems")
@allow(holds_a_role, "Anyone with a role; the list holds the problems of the contracts they read.")
def list_problems(request: HttpRequest, status: str = ""):
    rows = Problem.objects.visible_to(request.auth).select_related("contract", "service")
    return rows.filter(status=status)[:200] if status else rows[:200]


@router.get("/problems/{problem_id}", response=ProblemDetailOut, summary="A problem", operation_id="get_problem")
@on_object("problem_id", "problem", visible_problem, None, "The contract's readers.")
def get_problem(request: HttpRequest, problem: Problem):
    return _detail(request, problem)


@router.post("/problems", response={201: ProblemDetailOut}, summary="Raise a problem", operation_id="create_problem")
@allow(holds_a_role, "The provider's staff of the contract (can_work_problems).")
@idempotent
def create_problem(request: HttpRequest, body: ProblemIn):
    contract = Contract.objects.visible_to(request.auth).filter(slug=body.contract).first()
    if contract is None:
        raise ActionRefused(f"No such contract: {body.contract}.", errors={"contract": ["No such contract."]})
    if not can_work_problems(request.auth, contract):
        raise PermissionDenied("You may not raise problems on this contract.")
    service = None
    if body.service:
        service = Service.objects.visible_to(request.auth).filter(contract=contract, key=body.service).first()
        if service is None:
            raise ActionRefused(f"No such service: {body.service}.", errors={"service": ["No such service."]})
    problem = actions.raise_problem(
        actor=request.auth,
        contract=contract,
        title=body.title,
        service=service,
        category=body.category,
        description=body.description,
        incidents=_tickets(request, body.incidents),
    )
    return Status(201, _detail(request, problem))


@router.post(
    "/problems/{problem_id}/diagnosis",
    response=ProblemDetailOut,
    summary="Record the cause and workaround",
    operation_id="diagnose_problem",
)
@on_object("problem_id", "problem", visible_problem, can_work_problem, "The provider's staff (can_work_problem).")
def diagnose_problem(request: HttpRequest, problem: Problem, body: DiagnoseIn):
    return _detail(request, actions.diagnose(problem, actor=request.auth, **body.dict()))


@router.post(
    "/problems/{problem_id}/incidents",
    response=ProblemDetailOut,
    summary="Link incidents to a problem",
    operation_id="link_problem_incidents",
)
@on_object("problem_id", "problem", visible_problem, can_work_problem, "The provider's staff (can_work_problem).")
def link_problem_incidents(request: HttpRequest, problem: Problem, body: ProblemIncidentsIn):
    actions.link_incidents(problem, actor=request.auth, tickets=_tickets(request, body.incidents))
    return _detail(request, problem)


@router.post(
    "/problems/{problem_id}/known-error",
    response=KnownErrorOut,
    summary="Publish or revise the problem's known error",
    operation_id="publish_known_error",
)
@on_object("problem_id", "problem", visible_problem, can_work_problem, "The provider's staff (can_work_problem).")
def publish_known_error(request: HttpRequest, problem: Problem, body: KnownErrorIn):
    return actions.publish_known_error(problem, actor=request.auth, **body.dict())


@router.post(
    "/problems/{problem_id}/fixing-change",
    response=ProblemDetailOut,
    summary="Name the change that fixes a problem",
    operation_id="link_problem_change",
)
@on_object("problem_id", "problem", visible_problem, can_work_problem, "The provider's staff (can_work_problem).")
def link_problem_change(request: HttpRequest, problem: Problem, body: FixingChangeIn):
    """When the change is implemented successfully, the problem closes."""
    digits = body.change.strip().upper().removeprefix("CHG")
    change = None
    if digits.isascii() and digits.isdigit() and len(digits) < 18:
        change = Change.objects.visible_to(request.auth).filter(pk=int(digits)).first()
    if change is None:
        raise ActionRefused(f"No such change: {body.change}.", errors={"change": ["No such change."]})
    return _detail(request, actions.link_fixing_change(problem, actor=request.auth, change=change))


@router.post(
    "/problems/{problem_id}/items",
    response=ProblemDetailOut,
    summary="Name the configuration items of a problem",
    operation_id="link_problem_items",
)
@on_object("problem_id", "problem", visible_problem, can_work_problem, "The provider's staff (can_work_problem).")
def link_problem_items(request: HttpRequest, problem: Problem, body: ItemsIn):
    actions.link_configuration_items(problem, actor=request.auth, keys=body.items)
    return _detail(request, problem)


@router.post(
    "/problems/{problem_id}/close", response=ProblemDetailOut, summary="Close a problem", operation_id="close_problem"
)
@on_object("problem_id", "problem", visible_problem, can_work_problem, "The provider's staff (can_work_problem).")
def close_problem(request: HttpRequest, problem: Problem, body: ClosureIn):
    return _detail(request, actions.close_problem(problem, actor=request.auth, closure=body.closure))


@router.get("/known-errors", response=list[KnownErrorOut], summary="Known errors", operation_id="list_known_errors")
@allow(holds_a_role, "Anyone with a role; the list holds the known errors of the contracts they read.")
def list_known_errors(request: HttpRequest):
    return KnownError.objects.visible_to(request.auth).select_related("problem")[:200]


@router.get(
    "/tickets/{number}/known-errors",
    response=list[MatchOut],
    summary="Known errors that match a ticket, best first",
    operation_id="match_ticket_known_errors",
)
@on_object("number", "ticket", visible_ticket, can_work_ticket, "Those who work the ticket (can_work_ticket).")
def match_ticket_known_errors(request: HttpRequest, ticket: Ticket):
    return [{"known_error": known, "score": score} for known, score in matching_known_errors(ticket, request.auth)]


@router.post(
    "/tickets/{number}/known-errors",
    response={200: KnownErrorOut},
    summary="Link a known error to a ticket",
    operation_id="link_ticket_known_error",
)
@on_object("number", "ticket", visible_ticket, can_work_ticket, "Those who work the ticket (can_work_ticket).")
def link_ticket_known_error(request: HttpRequest, ticket: Ticket, body: LinkKnownErrorIn):
    known = KnownError.objects.visible_to(request.auth).select_related("problem").filter(pk=body.known_error).first()
    if known is None:
        raise ActionRefused("No such known error.", errors={"known_error": ["No such known error."]})
    actions.link_known_error(ticket, actor=request.auth, known_error=known)
    return known


@router.get(
    "/problem-suggestions",
    response=list[SuggestionOut],
    summary="Open suggestions of recurring incidents",
    operation_id="list_problem_suggestions",
)
@allow(holds_a_role, "Anyone with a role; the list holds the suggestions of the contracts they read.")
def list_problem_suggestions(request: HttpRequest):
    rows = (
        ProblemSuggestion.objects.visible_to(request.auth)
        .filter(status=SuggestionStatus.OPEN)
        .select_related("contract", "service")
    )
    return rows[:200]


@router.post(
    "/problem-suggestions/{suggestion_id}/raise",
    response={201: ProblemDetailOut},
    summary="Raise a suggestion as a problem",
    operation_id="raise_problem_suggestion",
)
@on_object(
    "suggestion_id",
    "suggestion",
    visible_suggestion,
    can_work_suggestion,
    "The provider's staff (can_work_suggestion).",
)
@idempotent
def raise_problem_suggestion(request: HttpRequest, suggestion: ProblemSuggestion, body: RaiseSuggestionIn):
    problem = actions.raise_from_suggestion(suggestion, actor=request.auth, title=body.title)
    return Status(201, _detail(request, problem))


@router.post(
    "/problem-suggestions/{suggestion_id}/dismiss",
    response=SuggestionOut,
    summary="Dismiss a suggestion",
    operation_id="dismiss_problem_suggestion",
)
@on_object(
    "suggestion_id",
    "suggestion",
    visible_suggestion,
    can_work_suggestion,
    "The provider's staff (can_work_suggestion).",
)
def dismiss_problem_suggestion(request: HttpRequest, suggestion: ProblemSuggestion, body: DismissIn):
    actions.dismiss_suggestion(suggestion, actor=request.auth, reason=body.reason)
    return (
        ProblemSuggestion.objects.visible_to(request.auth).select_related("contract", "service").get(pk=suggestion.pk)
    )


@router.get(
    "/contracts/{slug}/recurrence",
    response=RecurrenceIO,
    summary="When recurring incidents suggest a problem",
    operation_id="get_problem_recurrence",
)
@on_object("slug", "contract", visible_contract, can_read_problems, "The contract's readers of problems.")
def get_problem_recurrence(request: HttpRequest, contract: Contract):
    threshold, window_days = actions.settings_of(contract)
    return {"threshold": threshold, "window_days": window_days}


@router.put(
    "/contracts/{slug}/recurrence",
    response=RecurrenceIO,
    summary="Set when recurring incidents suggest a problem",
    operation_id="set_problem_recurrence",
)
@on_object(
    "slug",
    "contract",
    visible_contract,
    can_set_recurrence,
    "The provider's team leads and administrators, the customer's administrators (can_set_recurrence).",
)
def set_problem_recurrence(request: HttpRequest, contract: Contract, body: RecurrenceIO):
    found = actions.set_recurrence(
        actor=request.auth, contract=contract, threshold=body.threshold, window_days=body.window_days
    )
    actions.refresh_suggestions(contract=contract)
    return found
