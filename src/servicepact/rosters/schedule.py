"""Who is on shift when: a pattern's shifts as instants, its rostered people, the teams on shift.

A shift belongs to the local date it starts on (in the team's zone). Whether a pattern has a shift on a
date is decided by the SLA kernel's day rules (``DayRules``), so holidays and make-up working days are
read exactly as the contract's calendars read them: a one-off change with no shift is a closed date, one
with a shift an open date; a make-up working day has the shift of a Monday. Local start and end times are
turned into instants with the zone's rules of that date, so a shift of eight local hours lasts seven or
nine real hours across a DST change; a start that falls in the hour skipped in spring begins at the
first valid instant after it (Python's zoneinfo, fold 0).
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from servicepact.accounts.models import Team, User
from servicepact.rosters.models import RosterEntry, ShiftChange, ShiftPattern, ShiftSwap
from servicepact.sla.calendar_days import SECONDS_PER_DAY, DayRules

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Shift:
    pattern: ShiftPattern
    date: dt.date  # the local date the shift starts on
    starts: dt.datetime  # UTC
    ends: dt.datetime  # UTC
    people: list[User] = field(default_factory=list, compare=False)

    @property
    def team(self) -> Team:
        return self.pattern.team

    def covers(self, at: dt.datetime) -> bool:
        return self.starts <= at < self.ends


def day_rules(pattern: ShiftPattern, changes: list[ShiftChange]) -> DayRules:
    weekly = {weekday - 1: [(0, SECONDS_PER_DAY)] for weekday in pattern.weekdays}
    return DayRules(
        f"shift {pattern.name}",
        weekly,
        pattern.holidays or None,
        [change.date for change in changes if change.off],
        [change.date for change in changes if not change.off],
    )


def _instant(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    local = dt.datetime.combine(day, time, tzinfo=zone)
    # A wall time skipped by a DST change does not exist: move to the first instant after the gap.
    round_trip = local.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        local = round_trip
    return local.astimezone(dt.UTC)


def shift_on(pattern: ShiftPattern, day: dt.date, changes: list[ShiftChange] | None = None) -> Shift | None:
    """The pattern's shift starting on local ``day``, or None (no shift that day)."""
    if changes is None:
        changes = list(pattern.changes.all())
    if not day_rules(pattern, changes).plan(day).windows:
        return None
    change = next((c for c in changes if c.date == day and not c.off), None)
    starts_at = (change.starts_at if change and change.starts_at else None) or pattern.starts_at
    ends_at = (change.ends_at if change and change.ends_at else None) or pattern.ends_at
    zone = ZoneInfo(pattern.team.timezone or "UTC")
    end_day = day + ONE_DAY if ends_at <= starts_at else day
    return Shift(pattern, day, _instant(day, starts_at, zone), _instant(end_day, ends_at, zone))


def _people(shift: Shift) -> list[User]:
    monday = shift.date - dt.timedelta(days=shift.date.weekday())
    rostered = [
        entry.person
        for entry in RosterEntry.objects.filter(pattern=shift.pattern, week=monday).select_related("person")
        if entry.person.is_active
    ]
    swaps = list(ShiftSwap.objects.filter(pattern=shift.pattern, date=shift.date).select_related("away", "cover"))
    away = {swap.away_id for swap in swaps}
    people = [person for person in rostered if person.pk not in away]
    for swap in swaps:
        if swap.away_id in {p.pk for p in rostered} and all(p.pk != swap.cover_id for p in people):
            people.append(swap.cover)
    return people


def shifts_at(at: dt.datetime, patterns=None, *, with_people: bool = True) -> list[Shift]:
    """The shifts running at instant ``at`` (of ``patterns``, by default every pattern)."""
    if patterns is None:
        patterns = ShiftPattern.objects.all()
    found = []
    for pattern in patterns.select_related("team").prefetch_related("changes"):
        zone = ZoneInfo(pattern.team.timezone or "UTC")
        local_day = at.astimezone(zone).date()
        changes = list(pattern.changes.all())
        for day in (local_day - ONE_DAY, local_day):
            shift = shift_on(pattern, day, changes)
            if shift is not None and shift.covers(at):
                if with_people:
                    shift = Shift(shift.pattern, shift.date, shift.starts, shift.ends, _people(shift))
                found.append(shift)
    return found


def teams_on_shift(at: dt.datetime, teams: list[Team]) -> list[Team]:
    """Those of ``teams`` with a shift running at ``at``, in the order given."""
    running = {
        shift.pattern.team_id for shift in shifts_at(at, ShiftPattern.objects.filter(team__in=teams), with_people=False)
    }
    return [team for team in teams if team.pk in running]


def sun_team_for(rule, at: dt.datetime) -> Team | None:
    """The first of a follow-the-sun rule's teams on shift at ``at``; None when the rule has none on shift."""
    teams = [row.team for row in rule.sun_teams.select_related("team").order_by("position")]
    if not teams:
        return None
    on_shift = teams_on_shift(at, teams)
    return on_shift[0] if on_shift else None
