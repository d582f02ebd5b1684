"""Shifts in the API: who is on shift at an instant, a team's shift patterns, and the handover."""

from datetime import datetime, time

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema

from servicepact.accounts.models import Team
from servicepact.permissions.declared import allow, holds_a_role, on_object
from servicepact.permissions.rosters import can_hand_over
from servicepact.request_bodies import InputSchema
from servicepact.rosters import actions
from servicepact.rosters.models import ShiftPattern
from servicepact.rosters.schedule import shifts_at

router = Router(tags=["shifts"])


class ShiftOut(Schema):
    team: str
    pattern: str
    date: str = Field(..., description="The local date the shift starts on, in the team's zone.")
    starts: datetime
    ends: datetime
    people: list[str] = Field(..., description="E-mail addresses of the people on the shift.")


class PatternOut(Schema):
    id: int
    name: str
    weekdays: list[int]
    starts_at: time
    ends_at: time
    holidays: str


class HandoverIn(InputSchema):
    note: str = Field(..., min_length=1, max_length=2000)


class HandoverOut(Schema):
    team: str = Field(..., description="The team that took the tickets over.")
    tickets: list[str]


def visible_team(request: HttpRequest, slug: str) -> Team:
    return get_object_or_404(Team.objects.visible_to(request.auth), slug=slug)


@router.get("/shifts/on-shift", response=list[ShiftOut], summary="Who is on shift where", operation_id="list_on_shift")
@allow(holds_a_role, "Anyone with a role; the shifts of the teams they see.")
def list_on_shift(request: HttpRequest, at: datetime | None = None):
    """The shifts running at ``at`` (ISO 8601 with an offset; now if omitted), of the teams one sees."""
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at, timezone.UTC)
    found = shifts_at(at or timezone.now(), ShiftPattern.objects.visible_to(request.auth))
    return [
        {
            "team": shift.team.slug,
            "pattern": shift.pattern.name,
            "date": shift.date.isoformat(),
            "starts": shift.starts,
            "ends": shift.ends,
            "people": [person.email for person in shift.people],
        }
        for shift in found
    ]


@router.get(
    "/teams/{slug}/shifts",
    response=list[PatternOut],
    summary="A team's shift patterns",
    operation_id="list_team_shifts",
)
@on_object("slug", "team", visible_team, None, "Anyone who sees the team.")
def list_team_shifts(request: HttpRequest, team: Team):
    return ShiftPattern.objects.visible_to(request.auth).filter(team=team)


@router.post(
    "/teams/{slug}/handover",
    response=HandoverOut,
    summary="Hand the team's open tickets over to the next team on shift",
    operation_id="hand_over_team",
)
@on_object("slug", "team", visible_team, can_hand_over, "The team's staff and its organization's administrators.")
def hand_over_team(request: HttpRequest, team: Team, body: HandoverIn):
    successor, tickets = actions.hand_over(team, actor=request.auth, note=body.note)
    return {"team": successor.slug, "tickets": [ticket.number for ticket in tickets]}
