"""Reporting periods: an ISO week (``2026-W10``) or a calendar month (``2026-03``).

A period is cut in the contract's reporting time zone: it starts at the first local instant of its first
day (included) and ends at the first local instant of the next period (excluded), both given as UTC epoch
seconds, the kernel's instants.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEK_LABEL = re.compile(r"(\d{4})-W(\d{2})")
MONTH_LABEL = re.compile(r"(\d{4})-(\d{2})")


class PeriodError(ValueError):
    """A period label that names no ISO week or month, or an unknown time zone."""


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # "2026-W10" or "2026-03"
    kind: str  # "week" | "month"
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
        year, week = int(match[1]), int(match[2])
        last_week = datetime.date(year, 12, 28).isocalendar().week  # 28 December is always in the last week
        if not 1 <= week <= last_week:
            raise PeriodError(f"period {text!r}: ISO year {year} has weeks 01 to {last_week:02d}, not {week:02d}")
        first_day = datetime.date.fromisocalendar(year, week, 1)
        next_first_day = first_day + datetime.timedelta(days=7)
        return Period(text, "week", _local_midnight(first_day, zone), _local_midnight(next_first_day, zone), tz)
    if match := MONTH_LABEL.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"period {text!r}: month must be 01 to 12, not {month:02d}")
        first_day = datetime.date(year, month, 1)
        return Period(text, "month", _local_midnight(first_day, zone), _local_midnight(_next_month(first_day), zone), tz)
    raise PeriodError(f"period {text!r}: expected an ISO week like 2026-W10 or a month like 2026-03")


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
