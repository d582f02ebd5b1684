"""Warnings for window boundaries that daylight-saving time makes skip or repeat.

A boundary such as 02:30 does not exist on the day Europe/Berlin jumps from 02:00 to 03:00, and occurs
twice on the day it falls back. The calendar still gives such a boundary one meaning (fold=0: the offset
before the change; see calendar.py), but the parties may have meant something else, so the loader warns
once per boundary, naming the first date in force it affects.
"""

import datetime
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

from servicepact.sla.contract_checks import Finding
from servicepact.sla.contract_values import format_clock_time
from servicepact.sla.yamlsource import Path

# An open-ended contract is checked for this many years from its start.
OPEN_ENDED_YEARS = 10


@dataclass(frozen=True, slots=True)
class Boundary:
    weekdays: tuple[int, ...]
    seconds: int  # of the local day; 86400 (24:00) is the next day's 00:00
    where: Path  # of the window that has it


def _local(day: datetime.date, seconds: int, zone: zoneinfo.ZoneInfo, fold: int) -> datetime.datetime:
    day += datetime.timedelta(days=seconds // 86400)
    seconds %= 86400
    return datetime.datetime(
        day.year, day.month, day.day, seconds // 3600, seconds % 3600 // 60, tzinfo=zone, fold=fold
    )


def _change_days(zone: zoneinfo.ZoneInfo, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Dates on which the zone's offset changes (at any time of day), between first and last."""
    days = []
    day = first - datetime.timedelta(days=1)
    offset = _local(day, 0, zone, 0).utcoffset()
    while day <= last:
        next_day = day + datetime.timedelta(days=1)
        next_offset = _local(next_day, 0, zone, 0).utcoffset()
        if next_offset != offset:
            days.extend((day, next_day))  # the change lies somewhere between these two midnights
        day, offset = next_day, next_offset
    return sorted({d for d in days if first <= d <= last})


def _problem(day: datetime.date, seconds: int, zone: zoneinfo.ZoneInfo) -> tuple[str, str] | None:
    """(what happens to the wall time, how the calendar reads it), or None when nothing does."""
    early, late = _local(day, seconds, zone, 0), _local(day, seconds, zone, 1)
    if early.utcoffset() == late.utcoffset():
        return None
    read_as = early.astimezone(datetime.UTC).astimezone(zone)
    if read_as.replace(tzinfo=None) != early.replace(tzinfo=None):
        return "does not exist (daylight-saving gap)", f"it is read as {read_as:%H:%M} after the jump"
    return "occurs twice (clocks fall back)", "its first occurrence counts"


def dst_warnings(
    timezone: str, boundaries: list[Boundary], first: datetime.date, last: datetime.date | None
) -> Iterator[Finding]:
    zone = zoneinfo.ZoneInfo(timezone)
    last = last or first.replace(year=first.year + OPEN_ENDED_YEARS)
    change_days = _change_days(zone, first, last)
    if not change_days:
        return
    for boundary in boundaries:
        days_by_problem: dict[tuple[str, str], list[datetime.date]] = {}
        for day in change_days:
            window_day = day - datetime.timedelta(days=boundary.seconds // 86400)
            if window_day.weekday() in boundary.weekdays:
                problem = _problem(window_day, boundary.seconds, zone)
                if problem:
                    days_by_problem.setdefault(problem, []).append(day)
        for (happens, reading), days in days_by_problem.items():
            more = len(days) - 1
            also = f" and on {more} more date{'s' if more > 1 else ''} in force" if more else ""
            yield Finding(
                boundary.where,
                f"{format_clock_time(boundary.seconds)} {happens} in {timezone} on {days[0]}{also}; {reading}",
            )
