"""Every write of shifts and rosters: patterns, one-off changes, weekly rosters, swaps, follow-the-sun
teams of a routing rule, and the handover of a team's open tickets at the end of its shift."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Membership, Team, User
from servicepact.desk.actions.assignment import move_to_team
from servicepact.desk.actions.recording import ticket_write
from servicepact.desk.models import RoutingRule, Ticket
from servicepact.desk.models.choices import OPEN_STATUSES
from servicepact.permissions import COUNTED_MEMBERSHIPS
from servicepact.permissions.administration import can_edit_routing_rule
from servicepact.permissions.rosters import can_hand_over, can_plan_team
from servicepact.refusals import ActionRefused
from servicepact.rosters.models import RosterEntry, ShiftChange, ShiftPattern, ShiftSwap, SunTeam
from servicepact.rosters.schedule import day_rules, shifts_at, teams_on_shift
from servicepact.slm.models import ClockState, ClockStateKind

NOTE_MAX = 2000


def refuse(message: str, field: str, status: int = 422):
    raise ActionRefused(message, errors={field: [message]}, status=status)


def _check_plans(actor: User, team: Team) -> None:
    if not can_plan_team(actor, team):
        raise PermissionDenied(_("You may not plan the shifts of %(team)s.") % {"team": team.name})


def create_pattern(
    *, actor: User, team: Team, name: str, weekdays: list[int], starts_at: dt.time, ends_at: dt.time, holidays: str = ""
) -> ShiftPattern:
    _check_plans(actor, team)
    name = (name or "").strip()
    if not name:
        refuse(_("name is required."), "name")
    days = sorted(set(weekdays))
    if not days or any(not isinstance(d, int) or not 1 <= d <= 7 for d in days):
        refuse(_("weekdays: choose days from 1 (Monday) to 7 (Sunday)."), "weekdays")
    if starts_at == ends_at:
        refuse(_("ends_at: a shift cannot end when it starts."), "ends_at")
    holidays = (holidays or "").strip().upper()
    pattern = ShiftPattern(team=team, name=name, weekdays=days, starts_at=starts_at, ends_at=ends_at, holidays=holidays)
    try:
        day_rules(pattern, [])
    except ValueError:
        refuse(_("holidays: %(code)s is not a country code known for holidays.") % {"code": holidays}, "holidays")
    with transaction.atomic():
        if ShiftPattern.objects.filter(team=team, name=name).exists():
            refuse(_("%(team)s already has a shift named %(name)s.") % {"team": team.name, "name": name}, "name", 409)
        pattern.save()
    return pattern


def change_shift(
    pattern: ShiftPattern,
    *,
    actor: User,
    date: dt.date,
    off: bool,
    reason: str,
    starts_at: dt.time | None = None,
    ends_at: dt.time | None = None,
) -> ShiftChange:
    """A one-off change on one date: no shift (``off``), or a shift, with other hours if given."""
    _check_plans(actor, pattern.team)
    reason = (reason or "").strip()
    if not reason:
        refuse(_("reason is required."), "reason")
    if off and (starts_at or ends_at):
        refuse(_("starts_at: a day without the shift has no hours."), "starts_at")
    if not off and starts_at and ends_at and starts_at == ends_at:
        refuse(_("ends_at: a shift cannot end when it starts."), "ends_at")
    with transaction.atomic():
        change, _created = ShiftChange.objects.update_or_create(
            pattern=pattern,
            date=date,
            defaults={"off": off, "reason": reason, "starts_at": starts_at, "ends_at": ends_at},
        )
    return change


def _check_member(person: User, team: Team, field: str) -> None:
    if not person.is_active or not Membership.objects.filter(COUNTED_MEMBERSHIPS, user=person, team=team).exists():
        refuse(_("%(email)s is not a member of %(team)s.") % {"email": person.email, "team": team.name}, field)


def roster_person(pattern: ShiftPattern, *, actor: User, week: dt.date, person: User) -> RosterEntry:
    """``person`` works the pattern's shifts in the week starting on Monday ``week``."""
    _check_plans(actor, pattern.team)
    if week.weekday() != 0:
        refuse(_("week: %(date)s is not a Monday.") % {"date": week.isoformat()}, "week")
    _check_member(person, pattern.team, "person")
    with transaction.atomic():
        entry, created = RosterEntry.objects.get_or_create(pattern=pattern, week=week, person=person)
        if not created:
            refuse(_("%(email)s is already on this roster that week.") % {"email": person.email}, "person", 409)
    return entry


def swap_shift(
    pattern: ShiftPattern, *, actor: User, date: dt.date, away: User, cover: User, reason: str = ""
) -> ShiftSwap:
    """``cover`` works the shift starting on ``date`` in place of the rostered ``away``."""
    if not (can_plan_team(actor, pattern.team) or actor.pk in (away.pk, cover.pk)):
        raise PermissionDenied(_("You may not swap this shift."))
    monday = date - dt.timedelta(days=date.weekday())
    if not RosterEntry.objects.filter(pattern=pattern, week=monday, person=away).exists():
        refuse(_("%(email)s is not rostered for that shift.") % {"email": away.email}, "away")
    if away.pk == cover.pk:
        refuse(_("cover: a person cannot cover their own shift."), "cover")
    _check_member(cover, pattern.team, "cover")
    with transaction.atomic():
        swap, created = ShiftSwap.objects.get_or_create(
            pattern=pattern,
            date=date,
            away=away,
            defaults={
                "cover": cover,
                "reason": (reason or "").strip()[:200],
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        if not created:
            refuse(_("That shift of %(email)s is already swapped.") % {"email": away.email}, "away", 409)
    return swap


def set_sun_teams(rule: RoutingRule, *, actor: User, teams: list[Team]) -> list[SunTeam]:
    """The rule's follow-the-sun teams, in order (an empty list ends follow-the-sun for the rule)."""
    if not can_edit_routing_rule(actor, rule):
        raise PermissionDenied(_("You may not change this rule."))
    if rule.to_requester and teams:
        refuse(_("teams: a rule that sends tickets back to the requester has no teams."), "teams")
    if len({team.pk for team in teams}) != len(teams):
        refuse(_("teams: each team once."), "teams")
    contract = rule.contract
    parties = {contract.customer_id, contract.provider_id, *contract.vendors.values_list("pk", flat=True)}
    for team in teams:
        if team.organization_id not in parties:
            refuse(
                _("Team %(team)s works for no party of contract %(contract)s.")
                % {"team": team.slug, "contract": contract.slug},
                "teams",
            )
    with transaction.atomic():
        RoutingRule.objects.select_for_update().filter(pk=rule.pk).first()
        SunTeam.objects.filter(rule=rule).delete()
        return [SunTeam.objects.create(rule=rule, team=team, position=n) for n, team in enumerate(teams, start=1)]


def next_team_on_shift(team: Team, at: dt.datetime) -> Team | None:
    """The team that takes over from ``team`` at ``at``: in a follow-the-sun rule naming ``team``, the
    first team after it (in the rule's order, wrapping round) with a shift running."""
    for rule_id in SunTeam.objects.filter(team=team).values_list("rule_id", flat=True).order_by("rule_id"):
        order = [row.team for row in SunTeam.objects.filter(rule_id=rule_id).select_related("team")]
        mine = next(n for n, other in enumerate(order) if other.pk == team.pk)
        after = [*order[mine + 1 :], *order[:mine]]
        running = teams_on_shift(at, after)
        if running:
            return running[0]
    return None


def hand_over(team: Team, *, actor: User, note: str, at: dt.datetime | None = None) -> tuple[Team, list[Ticket]]:
    """Move ``team``'s open tickets with a running clock to the next team on shift, with a handover note.

    Each ticket gets the ``assigned`` event with the note as its reason: on the timeline, and a
    reassignment to the clocks of operational level agreements. Refused, changing nothing, when no team
    takes over or there is nothing to hand over.
    """
    if not can_hand_over(actor, team):
        raise PermissionDenied(_("You may not hand over the tickets of %(team)s.") % {"team": team.name})
    note = (note or "").strip()
    if not note:
        refuse(_("note: a handover needs a note for the next team."), "note")
    if len(note) > NOTE_MAX:
        refuse(_("note is longer than %(limit)d characters.") % {"limit": NOTE_MAX}, "note")
    at = at or timezone.now()
    successor = next_team_on_shift(team, at)
    if successor is None:
        refuse(
            _("No other team of a follow-the-sun rule with %(team)s is on shift now.") % {"team": team.name},
            "team",
            409,
        )
    running = ClockState.objects.filter(state=ClockStateKind.RUNNING).values("ticket_id")
    tickets = list(Ticket.objects.filter(team=team, status__in=OPEN_STATUSES, pk__in=running).order_by("number"))
    if not tickets:
        refuse(_("%(team)s holds no open ticket with a running clock.") % {"team": team.name}, "team", 409)
    reason = _("Handover at the end of the shift of %(team)s: %(note)s") % {"team": team.name, "note": note}
    with transaction.atomic():
        for ticket in tickets:
            with ticket_write(ticket, max(at, ticket.updated_at)) as (locked, when):
                if locked.team_id != team.pk or locked.status not in OPEN_STATUSES:
                    continue
                move_to_team(locked, successor, actor=actor, at=when, reason=reason)
    return successor, tickets


def on_shift_now(team: Team, at: dt.datetime | None = None) -> bool:
    return bool(shifts_at(at or timezone.now(), ShiftPattern.objects.filter(team=team), with_people=False))
