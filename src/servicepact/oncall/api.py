"""On-call in the API: who is on call for a team, pages (start, read, acknowledge, resolve)."""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from servicepact.accounts.models import Team
from servicepact.idempotency.keys import idempotent
from servicepact.oncall import actions
from servicepact.oncall.models import Page
from servicepact.oncall.schedule import PRIMARY, SECONDARY, on_call
from servicepact.permissions.declared import allow, on_object
from servicepact.permissions.oncall import can_answer_page, can_start_page
from servicepact.permissions.principal import Principal
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema

router = Router(tags=["on-call"])


class OnCallOut(Schema):
    team: str
    at: datetime
    on_call: str | None = Field(..., description="E-mail of the person on call (layer 1), if any.")
    secondary: str | None


class PageOut(Schema):
    id: int
    team: str = Field(..., alias="team.slug")
    ticket: str | None = Field(None, alias="ticket.number")
    title: str
    details: str
    status: str
    policy_name: str
    steps: list[dict] = Field(..., description="The escalation policy frozen onto the page when it started.")
    next_step: int
    next_step_at: datetime | None
    created_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None


class PageIn(InputSchema):
    team: str = Field(..., max_length=64)
    title: str = Field(..., min_length=1, max_length=200)
    details: str = Field("", max_length=5000)


def staff(who: Principal) -> bool:
    return who.is_superuser or who.is_staff_member


def visible_team(request: HttpRequest, slug: str) -> Team:
    return get_object_or_404(Team.objects.visible_to(request.auth), slug=slug)


def visible_page(request: HttpRequest, page_id: str) -> Page:
    if not str(page_id).isascii() or not str(page_id).isdigit() or len(str(page_id)) > 18:
        raise Http404("No such page.")
    return get_object_or_404(Page.objects.visible_to(request.auth).select_related("team", "ticket"), pk=int(page_id))


@router.get("/teams/{slug}/on-call", response=OnCallOut, summary="Who is on call", operation_id="get_on_call")
@on_object("slug", "team", visible_team, None, "Anyone who sees the team.")
def get_on_call(request: HttpRequest, team: Team, at: datetime | None = None):
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at, timezone.UTC)
    at = at or timezone.now()
    first, second = on_call(team, at, PRIMARY), on_call(team, at, SECONDARY)
    return {
        "team": team.slug,
        "at": at,
        "on_call": first.email if first else None,
        "secondary": second.email if second else None,
    }


@router.get("/pages", response=list[PageOut], summary="Pages of your organization's teams", operation_id="list_pages")
@allow(staff, "Staff; the pages of their own organization's teams.")
def list_pages(request: HttpRequest):
    return Page.objects.visible_to(request.auth).select_related("team", "ticket")[:200]


@router.post("/pages", response={201: PageOut}, summary="Page a team's person on call", operation_id="start_page")
@allow(staff, "Staff of the team's organization.")
@idempotent
def start_page(request: HttpRequest, body: PageIn):
    team = Team.objects.visible_to(request.auth).filter(slug=body.team).first()
    if team is None or not can_start_page(request.auth, team):
        message = f"No team {body.team!r} of yours to page."
        raise ActionRefused(message, errors={"team": [message]})
    page = actions.start_page(team=team, title=body.title, details=body.details, actor=request.auth)
    return Status(201, page)


@router.get("/pages/{page_id}", response=PageOut, summary="A page", operation_id="get_page")
@on_object("page_id", "page", visible_page, None, "Staff of the paged team's organization.")
def get_page(request: HttpRequest, page: Page):
    return page


@router.post(
    "/pages/{page_id}/acknowledge", response=PageOut, summary="Acknowledge a page", operation_id="acknowledge_page"
)
@on_object("page_id", "page", visible_page, can_answer_page, "Staff of the paged team's organization.")
def acknowledge_page(request: HttpRequest, page: Page):
    return actions.acknowledge_page(page, actor=request.auth)


@router.post("/pages/{page_id}/resolve", response=PageOut, summary="Resolve a page", operation_id="resolve_page")
@on_object("page_id", "page", visible_page, can_answer_page, "Staff of the paged team's organization.")
def resolve_page(request: HttpRequest, page: Page):
    return actions.resolve_page(page, actor=request.auth)
