"""Who is on call for a team at an instant: overrides first, then the rotation's turn.

Turns are counted in the team's zone: a turn changes hands at the rotation's hand-off time on local
dates, so a daily turn is 23 or 25 real hours across a DST change and the hand-off stays at, say, 09:00 on
the wall clock. A hand-off time inside the hour skipped in spring takes effect when the clocks reach it
again (the first local time after it).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from servicepact.accounts.models import Role, Team, User
from servicepact.oncall.models import Override, Rotation, RotationPeriod
from servicepact.permissions import COUNTED_MEMBERSHIP_OF_USER

PRIMARY, SECONDARY = 1, 2


def turn_index(rotation: Rotation, at: dt.datetime) -> int | None:
    """The number of the turn running at ``at`` (0 the first), None before the first."""
    local = at.astimezone(ZoneInfo(rotation.team.timezone or "UTC"))
    day = local.date()
    if local.time() < rotation.handoff_time:
        day -= dt.timedelta(days=1)
    days = (day - rotation.starts_on).days
    if days < 0:
        return None
    return days // (7 if rotation.period == RotationPeriod.WEEKLY else 1)


def on_call(team: Team, at: dt.datetime, layer: int = PRIMARY) -> User | None:
    """The person on call in ``team``'s rotation of ``layer`` at ``at``; None without one."""
    rotation = Rotation.objects.filter(team=team, layer=layer).select_related("team").first()
    if rotation is None:
        return None
    override = (
        Override.objects.filter(rotation=rotation, starts_at__lte=at, ends_at__gt=at, person__is_active=True)
        .select_related("person")
        .order_by("-starts_at", "-id")
        .first()
    )
    if override is not None:
        return override.person
    members = [m.person for m in rotation.members.select_related("person").order_by("position") if m.person.is_active]
    turn = turn_index(rotation, at)
    if not members or turn is None:
        return None
    return members[turn % len(members)]


def team_leads(team: Team) -> list[User]:
    return list(
        User.objects.filter(
            COUNTED_MEMBERSHIP_OF_USER, memberships__team=team, memberships__role=Role.TEAM_LEAD, is_active=True
        )
        .distinct()
        .order_by("email")
    )


def has_rotation(team_id: int | None) -> bool:
    return team_id is not None and Rotation.objects.filter(team_id=team_id, layer=PRIMARY).exists()
