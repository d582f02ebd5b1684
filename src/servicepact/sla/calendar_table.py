"""A calendar's open time as a sorted table of UTC intervals with cumulative open seconds.

The table covers whole local years, contiguously, and grows as queries reach new years. Open seconds
before an instant x (counted from the table's first instant) are found with one bisect:

    i = last interval whose start <= x;  open_before(x) = cum_end[i] - max(0, ends[i] - x)

Index 0 is an empty sentinel interval at the table's first instant, so i is never negative.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from servicepact.sla.calendar_days import SECONDS_PER_DAY, DayRules
from servicepact.sla.calendar_vector import VectorIndex

ONE_DAY = datetime.timedelta(days=1)


def wall_to_utc(zone: ZoneInfo, day: datetime.date, second: int) -> int:
    """The instant of a local wall-clock time, with fold=0 (see the DST rule in calendar.py)."""
    if second == SECONDS_PER_DAY:
        day, second = day + ONE_DAY, 0
    hour, rest = divmod(second, 3600)
    minute, sec = divmod(rest, 60)
    return int(datetime.datetime(day.year, day.month, day.day, hour, minute, sec, tzinfo=zone).timestamp())


def local_date(zone: ZoneInfo, instant: int) -> datetime.date:
    return datetime.datetime.fromtimestamp(instant, zone).date()


def day_of_instant(zone: ZoneInfo, instant: int) -> tuple[datetime.date, int, int]:
    """The local date whose span [midnight, next midnight) holds the instant, with that span.

    Spans are cut at fold=0 midnights, so they tile time even where a midnight is skipped or repeated.
    """
    day = local_date(zone, instant)
    while True:
        span_start = wall_to_utc(zone, day, 0)
        span_end = wall_to_utc(zone, day, SECONDS_PER_DAY)
        if instant < span_start:
            day -= ONE_DAY
        elif instant >= span_end:
            day += ONE_DAY
        else:
            return day, span_start, span_end


def year_intervals(rules: DayRules, zone: ZoneInfo, year: int) -> tuple[list[int], list[int]]:
    """The merged open intervals of one local year, clipped to the year's span."""
    year_start = wall_to_utc(zone, datetime.date(year, 1, 1), 0)
    year_end = wall_to_utc(zone, datetime.date(year + 1, 1, 1), 0)
    pieces: list[tuple[int, int]] = []
    day = datetime.date(year, 1, 1)
    while day.year == year:
        for start, end in rules.plan(day).windows:
            utc_start = max(wall_to_utc(zone, day, start), year_start)
            utc_end = min(wall_to_utc(zone, day, end), year_end)
            # a window inside a spring-forward gap can map to an empty or reversed stretch: drop it
            if utc_end > utc_start:
                pieces.append((utc_start, utc_end))
        day += ONE_DAY
    return _merged(pieces)


def _merged(pieces: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Union of intervals, so that time where DST makes two windows overlap counts once."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(pieces):
        if ends and start <= ends[-1]:
            if end > ends[-1]:
                ends[-1] = end
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


@dataclass(slots=True)
class OpenTable:
    first_year: int
    last_year: int
    lo: int  # first instant covered (local midnight opening first_year)
    hi: int  # first instant not covered (local midnight opening last_year + 1)
    starts: list[int]
    ends: list[int]
    cum_end: list[int]  # open seconds from lo to ends[i]
    _vector: VectorIndex | None = field(default=None)

    def vector(self) -> VectorIndex:
        """The table prepared for vectorised queries (built on first use)."""
        if self._vector is None:
            self._vector = VectorIndex(self.lo, self.hi, self.starts, self.ends, self.cum_end)
        return self._vector

    def rows(self) -> tuple[int, int, list[int], list[int], list[int]]:
        return (self.lo, self.hi, self.starts, self.ends, self.cum_end)

    def open_before(self, instant: int) -> int:
        """Open seconds in [lo, instant); the instant must lie in [lo, hi]."""
        i = bisect_right(self.starts, instant) - 1
        end = self.ends[i]
        return self.cum_end[i] - (end - instant if instant < end else 0)


def joined_table(
    years: dict[int, tuple[list[int], list[int]]], first_year: int, last_year: int, lo: int, hi: int
) -> OpenTable:
    """One table from the interval lists of consecutive years, merging across year boundaries."""
    starts = [lo]
    ends = [lo]
    for year in range(first_year, last_year + 1):
        year_starts, year_ends = years[year]
        for start, end in zip(year_starts, year_ends):
            if start <= ends[-1] and len(starts) > 1:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
    cum_end = [0] * len(starts)
    total = 0
    for i in range(1, len(starts)):
        total += ends[i] - starts[i]
        cum_end[i] = total
    return OpenTable(first_year, last_year, lo, hi, starts, ends, cum_end)
