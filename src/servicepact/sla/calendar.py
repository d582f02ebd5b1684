"""Business calendars: how many seconds of a span fall in opening hours, and when a budget of open
seconds runs out.

A calendar is a time zone, opening windows per weekday in local wall-clock time, a country whose public
holidays close the day (and whose weekend working days, such as China's make-up days, open it with
Monday's windows), and explicit `closed` and `open` dates that override everything else
(see calendar_days.py for the order of the rules).

Instants are integer seconds since the Unix epoch, UTC. Each calendar keeps a sorted table of its open
intervals in UTC with cumulative open seconds, built one local year at a time as queries reach it
(calendar_table.py), so that `elapsed` is two bisects and `add` one bisect plus one subtraction.

Daylight saving time. A window's boundaries are local wall-clock times of its date, turned into instants
the way Python does with fold=0:
- a boundary that does not exist (inside a spring-forward gap) takes the offset in force before the
  change, so 02:30 on a day that jumps from 02:00 to 03:00 is the instant 03:30 after the jump;
- a boundary inside a repeated hour (fall back) is its first occurrence.
A window whose boundaries thus map to an empty or reversed stretch contributes nothing, and where two
windows overlap in UTC the time counts once: a window never double-counts and is never negative.
For example, in Europe/Berlin 08:00-18:00 is ten hours on both change days, a 00:00-24:00 day is 23 hours
in March and 25 hours in October, and 02:00-03:00 is empty in March and two hours in October.
`24:00` as a window's end is the start of the next local day. Days themselves are cut at fold=0
midnights, which is how closed stretches are attributed to a date in `closures`.

Holiday labels in `closures` are in the country's own language as the `holidays` package writes them
("Tag der Deutschen Einheit", "春节"), never in the language of the process locale, so that an explanation
reads the same on every machine.

Supported instants lie in the local years 1900 through 2200 (every instant the kernel reads, up to the
end of 2199 UTC, lies in them in every time zone); outside them the methods raise ValueError. A deadline
beyond the last of them (a sparse calendar and a long target) raises ``DeadlineBeyondCalendar``.
A calendar may be shared between threads: its table only ever grows, under a lock, and is replaced
whole.
"""

from __future__ import annotations

import datetime
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from servicepact.sla.calendar_days import DayRules, Window
from servicepact.sla.calendar_table import (
    OpenTable,
    day_of_instant,
    joined_table,
    local_date,
    wall_to_utc,
    year_intervals,
)

FIRST_YEAR = 1900
LAST_YEAR = 2200


class DeadlineBeyondCalendar(ValueError):
    """``add`` was asked for a deadline that the calendar does not reach before the end of LAST_YEAR."""


@dataclass(frozen=True, slots=True)
class Closure:
    """A closed stretch of time, for explaining elapsed time to people."""

    start: int
    end: int
    reason: str  # "outside_hours" | "weekend" | "holiday" | "closed_date"
    label: str  # the holiday's name, or ""


class BusinessCalendar:
    name: str
    timezone: str
    is_always_open: bool = False

    def __init__(
        self,
        name: str,
        timezone: str,
        weekly: Mapping[int, Sequence[Window]],
        holidays: str | None = None,
        closed: Iterable[datetime.date] = (),
        open: Iterable[datetime.date] = (),
    ) -> None:
        self.name = name
        self.timezone = timezone
        self._zone = _zone_named(name, timezone)
        self._rules = DayRules(name, weekly, holidays, closed, open)
        self._years: dict[int, tuple[list[int], list[int]]] = {}
        self._table: OpenTable | None = None
        # the table's columns as one tuple, unpacked at once by the scalar queries (their hot path);
        # lo > hi at first, so that the first query grows the table
        self._rows: tuple[int, int, list[int], list[int], list[int]] = (1, 0, [], [], [])
        self._lock = threading.Lock()

    @classmethod
    def always(cls, name: str = "24x7") -> BusinessCalendar:
        return AlwaysOpenCalendar(name)

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.name!r}, {self.timezone!r})"

    # --- scalar queries -------------------------------------------------------------------------

    def elapsed(self, start: int, end: int) -> int:
        """Open seconds in [start, end); 0 if end <= start."""
        if end <= start:
            return 0
        lo, hi, starts, ends, cum_end = self._rows
        if start < lo or end > hi:
            lo, hi, starts, ends, cum_end = self._cover(start, end).rows()
        i = bisect_right(starts, end) - 1
        stop = ends[i]
        open_before_end = cum_end[i] - (stop - end if end < stop else 0)
        i = bisect_right(starts, start, 0, i + 1) - 1
        stop = ends[i]
        return open_before_end - cum_end[i] + (stop - start if start < stop else 0)

    def add(self, start: int, seconds: int) -> int:
        """The earliest instant t >= start with elapsed(start, t) == seconds."""
        if seconds <= 0:
            if seconds == 0:
                return start
            raise ValueError(f"calendar {self.name!r}: cannot add a negative number of seconds ({seconds})")
        lo, hi, starts, ends, cum_end = self._rows
        if start < lo or start > hi:
            return self._add_growing(start, seconds)
        # open_before(start), written out: this is the hot path of every deadline
        i = bisect_right(starts, start) - 1
        stop = ends[i]
        goal = cum_end[i] - (stop - start if start < stop else 0) + seconds
        if goal > cum_end[-1]:
            return self._add_growing(start, seconds)
        k = bisect_left(cum_end, goal)
        return ends[k] - (cum_end[k] - goal)

    def _add_growing(self, start: int, seconds: int) -> int:
        """add() when the table does not yet reach the start or the deadline: grow it a year at a time."""
        table = self._cover(start, start)
        while True:
            # computed afresh after each growth, as another thread may have grown the table backwards
            goal = table.open_before(start) + seconds
            if goal <= table.cum_end[-1]:
                k = bisect_left(table.cum_end, goal)
                return table.ends[k] - (table.cum_end[k] - goal)
            table = self._grow_forward(table, start, seconds)

    def open_intervals(self, start: int, end: int) -> list[tuple[int, int]]:
        """The open stretches within [start, end), in order."""
        if end <= start:
            return []
        table = self._cover(start, end)
        starts, ends = table.starts, table.ends
        result = []
        k = max(bisect_right(starts, start) - 1, 1)
        while k < len(starts) and starts[k] < end:
            lo, hi = max(starts[k], start), min(ends[k], end)
            if hi > lo:
                result.append((lo, hi))
            k += 1
        return result

    def closures(self, start: int, end: int) -> list[Closure]:
        """The closed stretches within [start, end), each with why it is closed.

        Together with open_intervals they tile [start, end) exactly. Adjacent stretches with the same
        reason and label are merged (a Saturday and a Sunday make one weekend).
        """
        result: list[Closure] = []
        cursor = start
        for open_start, open_end in [*self.open_intervals(start, end), (end, end)]:
            if open_start > cursor:
                self._explain_gap(cursor, open_start, result)
            cursor = open_end
        return result

    # --- vectorised queries ---------------------------------------------------------------------

    def elapsed_many(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """elapsed() of each pair, as int64."""
        shape = np.shape(starts)
        starts, ends = _flat_int64_pair(starts, ends, "starts", "ends")
        if starts.size == 0:
            return np.zeros(shape, dtype=np.int64)
        table = self._cover(int(min(starts.min(), ends.min())), int(max(starts.max(), ends.max())))
        return table.vector().elapsed(starts, ends).reshape(shape)

    def add_many(self, starts: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """add() of each pair, as int64."""
        shape = np.shape(starts)
        starts, seconds = _flat_int64_pair(starts, seconds, "starts", "seconds")
        if starts.size == 0:
            return np.zeros(shape, dtype=np.int64)
        if (seconds < 0).any():
            bad = int(seconds[seconds < 0][0])
            raise ValueError(f"calendar {self.name!r}: cannot add a negative number of seconds ({bad})")
        table = self._cover(int(starts.min()), int(starts.max()))
        while True:
            goals = table.vector().open_before(starts)
            goals += seconds
            if int(goals.max()) <= table.cum_end[-1]:
                break
            table = self._grow_forward(table, int(starts.max()), int(seconds.max()))
        nothing_to_add = seconds == 0
        goals[nothing_to_add] = 1  # any reachable goal; these answers are replaced by the start
        result = table.vector().instant_at(goals)
        result[nothing_to_add] = starts[nothing_to_add]
        return result.reshape(shape)

    # --- the table ------------------------------------------------------------------------------

    def _cover(self, low: int, high: int) -> OpenTable:
        """The table, grown if needed so that it covers [low, high]."""
        table = self._table
        if table is not None and table.lo <= low and high <= table.hi:
            return table
        with self._lock:
            first = self._year_of(low)
            last = self._year_of(high)
            while True:
                table = self._table
                if table is not None:
                    first, last = min(first, table.first_year), max(last, table.last_year)
                table = self._build(first, last)
                if table.lo <= low and high <= table.hi:
                    return table
                # a midnight in a repeated hour can put an instant's wall date in the neighbouring year
                first, last = first - (low < table.lo), last + (high > table.hi)

    def _grow_forward(self, table: OpenTable, start: int, seconds: int) -> OpenTable:
        """The table with at least one more year than `table` (unless another thread grew it already)."""
        if table.last_year >= LAST_YEAR or not self._rules.has_any_window:
            raise DeadlineBeyondCalendar(
                f"calendar {self.name!r} has fewer than {seconds} open seconds from instant {start} "
                f"to the end of {LAST_YEAR}"
            )
        with self._lock:
            current = self._table
            if current is not None and current.last_year > table.last_year:
                return current
            first = table.first_year if current is None else min(current.first_year, table.first_year)
            return self._build(first, table.last_year + 1)

    def _build(self, first: int, last: int) -> OpenTable:
        if first < FIRST_YEAR or last > LAST_YEAR:
            raise ValueError(
                f"calendar {self.name!r}: years {first}..{last} reach outside the supported {FIRST_YEAR}..{LAST_YEAR}"
            )
        for year in range(first, last + 1):
            if year not in self._years:
                self._years[year] = year_intervals(self._rules, self._zone, year)
        lo = wall_to_utc(self._zone, datetime.date(first, 1, 1), 0)
        hi = wall_to_utc(self._zone, datetime.date(last + 1, 1, 1), 0)
        table = joined_table(self._years, first, last, lo, hi)
        # whole objects replaced, so a reader never sees a half-grown table
        self._rows = table.rows()
        self._table = table
        return table

    def _year_of(self, instant: int) -> int:
        try:
            year = local_date(self._zone, instant).year
        except (OverflowError, OSError, ValueError):
            year = FIRST_YEAR - 1 if instant < 0 else LAST_YEAR + 1
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(
                f"calendar {self.name!r}: instant {instant} lies outside the supported years {FIRST_YEAR}..{LAST_YEAR}"
            )
        return year

    def _explain_gap(self, start: int, end: int, into: list[Closure]) -> None:
        """Append the closures of one closed stretch, cut by local day and labelled by the day's rules."""
        cursor = start
        while cursor < end:
            day, _, day_end = day_of_instant(self._zone, cursor)
            plan = self._rules.plan(day)
            piece_end = min(day_end, end)
            last = into[-1] if into else None
            if (
                last is not None
                and last.end == cursor
                and (last.reason, last.label)
                == (
                    plan.closed_reason,
                    plan.label,
                )
            ):
                into[-1] = Closure(last.start, piece_end, last.reason, last.label)
            else:
                into.append(Closure(cursor, piece_end, plan.closed_reason, plan.label))
            cursor = piece_end


class AlwaysOpenCalendar(BusinessCalendar):
    """Open at every instant: elapsed time is plain time."""

    is_always_open = True

    def __init__(self, name: str = "24x7") -> None:
        self.name = name
        self.timezone = "UTC"

    def __repr__(self) -> str:
        return f"BusinessCalendar.always({self.name!r})"

    def elapsed(self, start: int, end: int) -> int:
        return end - start if end > start else 0

    def add(self, start: int, seconds: int) -> int:
        if seconds < 0:
            raise ValueError(f"calendar {self.name!r}: cannot add a negative number of seconds ({seconds})")
        return start + seconds

    def open_intervals(self, start: int, end: int) -> list[tuple[int, int]]:
        return [(start, end)] if end > start else []

    def closures(self, start: int, end: int) -> list[Closure]:
        return []

    def elapsed_many(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        starts, ends = _int64_pair(starts, ends, "starts", "ends")
        return np.maximum(ends - starts, 0)

    def add_many(self, starts: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        starts, seconds = _int64_pair(starts, seconds, "starts", "seconds")
        if (seconds < 0).any():
            bad = int(seconds[seconds < 0].flat[0])
            raise ValueError(f"calendar {self.name!r}: cannot add a negative number of seconds ({bad})")
        return starts + seconds


def _zone_named(calendar_name: str, timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"calendar {calendar_name!r}: timezone {timezone!r} is not a known IANA time zone") from None


def _int64_pair(
    first: np.ndarray, second: np.ndarray, first_name: str, second_name: str
) -> tuple[np.ndarray, np.ndarray]:
    first = np.asarray(first, dtype=np.int64)
    second = np.asarray(second, dtype=np.int64)
    if first.shape != second.shape:
        raise ValueError(f"{first_name} has shape {first.shape} but {second_name} has shape {second.shape}")
    return first, second


def _flat_int64_pair(
    first: np.ndarray, second: np.ndarray, first_name: str, second_name: str
) -> tuple[np.ndarray, np.ndarray]:
    first, second = _int64_pair(first, second, first_name, second_name)
    return first.ravel(), second.ravel()
