"""Writes of on-call planning: rotations and their members, overrides, a team's escalation policy."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from servicepact.accounts.models import Membership, Team, User
from servicepact.oncall.models import EscalationPolicy, EscalationStep, Override, Rotation, RotationPeriod, StepTarget
from servicepact.permissions import COUNTED_MEMBERSHIPS
from servicepact.permissions.rosters import can_plan_team
from servicepact.refusals import ActionRefused

MAX_STEPS = 10


def refuse(message: str, field: str, status: int = 422):
    raise ActionRefused(message, errors={field: [message]}, status=status)


def _check(actor: User, team: Team) -> None:
    if not can_plan_team(actor, team):
        raise PermissionDenied(_("You may not plan the on-call duty of %(team)s.") % {"team": team.name})


def _members(team: Team, people: list[User], field: str) -> None:
    for person in people:
        if not person.is_active or not Membership.objects.filter(COUNTED_MEMBERSHIPS, user=person, team=team).exists():
            refuse(_("%(email)s is not a member of %(team)s.") % {"email": person.email, "team": team.name}, field)


def save_rotation(
    *,
    actor: User,
    team: Team,
    name: str,
    layer: int,
    period: str,
    handoff_time: dt.time,
    starts_on: dt.date,
    members: list[User],
) -> Rotation:
    """Create or replace the team's rotation of ``layer`` (1 on call, 2 secondary), members in turn order."""
    _check(actor, team)
    name = (name or "").strip()
    if not name:
        refuse(_("name is required."), "name")
    if layer not in (1, 2, 3):
        refuse(_("layer: 1 (on call), 2 (secondary) or 3."), "layer")
    if period not in RotationPeriod.values:
        refuse(_("period: daily or weekly."), "period")
    if not members:
        refuse(_("members: a rotation needs at least one person."), "members")
    if len({person.pk for person in members}) != len(members):
        refuse(_("members: each person once."), "members")
    _members(team, members, "members")
    with transaction.atomic():
        rotation, _created = Rotation.objects.update_or_create(
            team=team,
            layer=layer,
            defaults={"name": name, "period": period, "handoff_time": handoff_time, "starts_on": starts_on},
        )
        rotation.members.all().delete()
        for position, person in enumerate(members, start=1):
            rotation.members.create(person=person, position=position)
    return rotation


def add_override(
    rotation: Rotation, *, actor: User, person: User, starts_at: dt.datetime, ends_at: dt.datetime, reason: str
) -> Override:
    """``person`` is on call in the rotation's place for a while (a holiday, a sick colleague)."""
    _check(actor, rotation.team)
    reason = (reason or "").strip()
    if not reason:
        refuse(_("reason is required."), "reason")
    if ends_at <= starts_at:
        refuse(_("ends_at: the override must end after it starts."), "ends_at")
    _members(rotation.team, [person], "person")
    with transaction.atomic():
        return Override.objects.create(
            rotation=rotation, person=person, starts_at=starts_at, ends_at=ends_at, reason=reason, recorded_by=actor
        )


def save_policy(*, actor: User, team: Team, name: str, steps: list[tuple[str, int]]) -> EscalationPolicy:
    """The team's escalation policy: steps (target, minutes after the previous step), the first at once."""
    _check(actor, team)
    name = (name or "").strip()
    if not name:
        refuse(_("name is required."), "name")
    if not steps or len(steps) > MAX_STEPS:
        refuse(_("steps: from 1 to %(limit)d steps.") % {"limit": MAX_STEPS}, "steps")
    for number, (target, delay) in enumerate(steps, start=1):
        if target not in StepTarget.values:
            refuse(
                _("steps: step %(n)d pages %(target)s, which is no target.") % {"n": number, "target": target}, "steps"
            )
        if not isinstance(delay, int) or delay < 0 or delay > 24 * 60:
            refuse(_("steps: step %(n)d waits 0 to 1440 minutes.") % {"n": number}, "steps")
    with transaction.atomic():
        policy, _created = EscalationPolicy.objects.update_or_create(team=team, defaults={"name": name})
        policy.steps.all().delete()
        for position, (target, delay) in enumerate(steps, start=1):
            EscalationStep.objects.create(
                policy=policy, position=position, target=target, delay_minutes=0 if position == 1 else delay
            )
    return policy
