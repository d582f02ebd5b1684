"""Reporting periods: an ISO week (``2026-W10``), a calendar month (``2026-03``) or a day (``2026-03-05``).

A period is cut in the contract's reporting time zone: it starts at the first local instant of its first
day (included) and ends at the first local instant of the next period (excluded), both given as UTC epoch
seconds, the kernel's instants. A day is therefore 23 or 25 hours long on the days the clocks change.
Only a month carries credits (the contract's fee is monthly); days exist so that the daily reports the
service stores can be recomputed and verified like the others. Periods lie in the years 1970 to 2199,
the range of the kernel's instants (timefmt).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# ASCII digits only: a label in other digits would name a period that no label the kernel writes equals.
WEEK_LABEL = re.compile(r"([0-9]{4})-W([0-9]{2})")
MONTH_LABEL = re.compile(r"([0-9]{4})-([0-9]{2})")
DAY_LABEL = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
FIRST_YEAR, LAST_YEAR = 1970, 2199
LABEL_FORMS = "expected an ISO week like 2026-W10 or a month like 2026-03, or a day like 2026-03-05"


class PeriodError(ValueError):
    """A period label that names no ISO week, month or day, or an unknown time zone."""


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # "2026-W10", "2026-03" or "2026-03-05"
    kind: str  # "week" | "month" | "day"
    start: int  # first instant, included
    end: int  # first instant of the next period, excluded
    timezone: str

    @property
    def is_month(self) -> bool:
        return self.kind == "month"


def parse_period(text: str, tz: str) -> Period:
    """The period named by ``text``, cut in time zone ``tz``; raises PeriodError naming the bad part."""
    zone = _zone(tz)
    if match := WEEK_LABEL.fullmatch(text):
        kind, (first_day, next_first_day) = "week", _week_bounds(text, int(match[1]), int(match[2]))
    elif match := MONTH_LABEL.fullmatch(text):
        kind, (first_day, next_first_day) = "month", _month_bounds(text, int(match[1]), int(match[2]))
    elif match := DAY_LABEL.fullmatch(text):
        kind, (first_day, next_first_day) = "day", _day_bounds(text, int(match[1]), int(match[2]), int(match[3]))
    else:
        shown = repr(text) if len(text) <= 40 else f"{text[:20]!r}... ({len(text)} characters)"
        raise PeriodError(f"period {shown}: {LABEL_FORMS}")
    return Period(text, kind, _local_midnight(first_day, zone), _local_midnight(next_first_day, zone), tz)


def _week_bounds(text: str, year: int, week: int) -> tuple[datetime.date, datetime.date]:
    """The Monday of ISO week ``week`` and the Monday after it."""
    _check_year(text, year)
    last_week = datetime.date(year, 12, 28).isocalendar().week  # 28 December is always in the last week
    if not 1 <= week <= last_week:
        raise PeriodError(f"period {text!r}: ISO year {year} has weeks 01 to {last_week:02d}, not {week:02d}")
    first_day = datetime.date.fromisocalendar(year, week, 1)
    return first_day, first_day + datetime.timedelta(days=7)


def _month_bounds(text: str, year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first day of the month and the first day of the next one."""
    _check_year(text, year)
    if not 1 <= month <= 12:
        raise PeriodError(f"period {text!r}: month must be 01 to 12, not {month:02d}")
    first_day = datetime.date(year, month, 1)
    return first_day, _next_month(first_day)


def _day_bounds(text: str, year: int, month: int, day: int) -> tuple[datetime.date, datetime.date]:
    """The day itself and the day after it."""
    first_of_month, first_of_next = _month_bounds(text, year, month)
    days_in_month = (first_of_next - first_of_month).days
    if not 1 <= day <= days_in_month:
        raise PeriodError(f"period {text!r}: {year:04d}-{month:02d} has days 01 to {days_in_month:02d}, not {day:02d}")
    the_day = datetime.date(year, month, day)
    return the_day, the_day + datetime.timedelta(days=1)


def _check_year(text: str, year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"period {text!r}: year must be {FIRST_YEAR} to {LAST_YEAR}, not {year:04d}")


def month_range(first: str, last: str, tz: str) -> list[Period]:
    """Every month from ``first`` to ``last``, both included (labels like ``2026-01``)."""
    start, end = parse_period(first, tz), parse_period(last, tz)
    for label, period in ((first, start), (last, end)):
        if not period.is_month:
            raise PeriodError(f"period {label!r}: expected a month like 2026-01")
    if end.start < start.start:
        raise PeriodError(f"period range {first}..{last}: {last} comes before {first}")
    months = []
    day = datetime.date(int(first[:4]), int(first[5:7]), 1)
    while True:
        label = f"{day.year:04d}-{day.month:02d}"
        months.append(parse_period(label, tz))
        if label == last:
            return months
        day = _next_month(day)


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise PeriodError(f"reporting time zone {tz!r} does not exist") from error


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _local_midnight(day: datetime.date, zone: ZoneInfo) -> int:
    """The first instant of ``day`` in ``zone``.

    Where a transition skips local midnight (some zones move clocks at 00:00), the first instant of the
    day is the transition itself: the earliest UTC instant whose local date is ``day``.
    """
    naive = datetime.datetime.combine(day, datetime.time())
    instant = int(naive.replace(tzinfo=zone).timestamp())
    # A skipped midnight resolves (fold=0) to a UTC instant after the gap; walk back to the gap's start.
    while _local_date(instant - 1, zone) == day:
        instant -= 1
    while _local_date(instant, zone) < day:
        instant += 1
    return instant


def _local_date(instant: int, zone: ZoneInfo) -> datetime.date:
    return datetime.datetime.fromtimestamp(instant, zone).date()
