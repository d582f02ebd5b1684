"""Agents rostered per hour of the week, beside the agents required: from the rosters app's shift patterns
and weekly rosters (``rosters.schedule``), in the team's time zone, over the same months.

For every day of the range, each of the team's patterns that has a shift starting that day (its weekdays,
holidays, make-up days and one-off changes, as ``shift_on`` reads them) adds the people rostered on it that
week to every local hour the shift covers; a swap replaces one person by another and leaves the count. The
sum per hour of the week, divided by the number of times that hour of the week occurs in the range, is
``agents_rostered``. A team with no shift pattern has none (``None``): its rostering is not known.
"""

import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from servicepact.rosters.models import RosterEntry, ShiftPattern
from servicepact.rosters.schedule import shift_on
from servicepact.sla.capacity import weekday_occurrences
from servicepact.sla.periods import month_range

ONE_HOUR = dt.timedelta(hours=1)


def rostered(user, team: str, zone: str, first: str, last: str) -> dict[tuple[int, int], float] | None:
    """(weekday, hour) -> mean people on shift, for ``team`` (a slug) over the months; None without patterns."""
    patterns = list(
        ShiftPattern.objects.visible_to(user).filter(team__slug=team).select_related("team").prefetch_related("changes")
    )
    if not patterns:
        return None
    months = month_range(first, last, zone)
    tz = ZoneInfo(zone)
    first_day = dt.datetime.fromtimestamp(months[0].start, tz).date()
    last_day = dt.datetime.fromtimestamp(months[-1].end - 1, tz).date()
    counts = _roster_counts(user, patterns, first_day - dt.timedelta(days=7), last_day)
    sums: Counter[tuple[int, int]] = Counter()
    day = first_day
    while day <= last_day:
        for pattern in patterns:
            shift = shift_on(pattern, day, list(pattern.changes.all()))
            people = counts.get((pattern.pk, day - dt.timedelta(days=day.weekday())), 0)
            if shift is None or not people:
                continue
            hour = shift.starts.astimezone(tz).replace(minute=0, second=0, microsecond=0)
            while hour < shift.ends:
                local = hour.astimezone(tz)
                if first_day <= local.date() <= last_day:
                    sums[(local.isoweekday(), local.hour)] += people
                hour = (hour.astimezone(dt.UTC) + ONE_HOUR).astimezone(tz)
        day += dt.timedelta(days=1)
    occurrences = weekday_occurrences(first_day, last_day)
    return {
        (weekday, hour): round(sums[(weekday, hour)] / occurrences[weekday], 2) if occurrences[weekday] else 0.0
        for weekday in range(1, 8)
        for hour in range(24)
    }


def _roster_counts(user, patterns, first: dt.date, last: dt.date) -> dict[tuple[int, dt.date], int]:
    found: dict[tuple[int, dt.date], int] = defaultdict(int)
    entries = RosterEntry.objects.visible_to(user).filter(
        pattern__in=patterns, week__range=(first, last), person__is_active=True
    )
    for pattern_id, week in entries.values_list("pattern_id", "week"):
        found[(pattern_id, week)] += 1
    return found


def add_rostered(user, rows: list[dict], zones: dict[str, str], first: str, last: str) -> list[dict]:
    """The rows with ``agents_rostered`` (None for a team without shift patterns)."""
    by_team: dict[str, dict[tuple[int, int], float] | None] = {}
    for row in rows:
        team = row["team"]
        if team not in by_team:
            by_team[team] = rostered(user, team, zones.get(team) or "UTC", first, last)
        table = by_team[team]
        row["agents_rostered"] = None if table is None else table[(row["weekday"], row["hour"])]
    return rows
