"""BusinessCalendar against a slow oracle that decides, one instant at a time, whether it is open.

The oracle shares no code with the engine: it turns each instant into local wall time with zoneinfo,
asks the `holidays` package and the calendar's lists what kind of day that is, and tests the day's
windows (and the neighbouring days', which can reach across midnight through 24:00 ends and DST) with
the documented rule: a boundary is the wall-clock time with fold=0. Windows in these tests sit on whole
minutes (as contract hours do), so openness is constant within each UTC minute and the oracle steps
minute by minute, and second by second only in the partial minutes at a span's ends.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicepact.sla.calendar import BusinessCalendar

MINUTE = 60
DAY = datetime.timedelta(days=1)

# (time zone, holiday country, local dates worth probing: DST changes, holidays, make-up days, year ends)
PLACES = {
    "Europe/Berlin": (
        "DE",
        ["2026-03-29", "2026-10-25", "2026-10-03", "2026-12-25", "2026-01-01", "2026-04-03", "2026-05-14"],
    ),
    "Asia/Shanghai": (
        "CN",
        ["2026-02-14", "2026-02-17", "2026-02-28", "2026-09-20", "2026-10-01", "2026-10-10", "2026-01-01"],
    ),
    "Asia/Kolkata": ("IN", ["2025-08-15", "2025-10-20", "2026-01-26", "2026-11-08", "2026-01-01"]),
    "America/New_York": (
        "US",
        ["2026-03-08", "2026-11-01", "2026-11-26", "2026-07-03", "2026-01-01", "2026-12-25"],
    ),
}


@dataclass(frozen=True)
class Spec:
    """A calendar as plain data, from which both the engine and the oracle are made."""

    timezone: str
    country: str | None
    weekly: tuple[tuple[tuple[int, int], ...], ...]  # 7 weekdays, windows in seconds of the day
    closed: frozenset[datetime.date]
    open: frozenset[datetime.date]

    def engine(self) -> BusinessCalendar:
        weekly = {day: list(windows) for day, windows in enumerate(self.weekly) if windows}
        return BusinessCalendar("random", self.timezone, weekly, self.country, self.closed, self.open)


# --- the oracle ---------------------------------------------------------------------------------


@cache
def oracle_holidays(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)


def oracle_day(spec: Spec, day: datetime.date) -> tuple[tuple[tuple[int, int], ...], str, bool]:
    """(windows, reason the rest of the day is closed, label is non-empty) from the rules as written."""
    if day in spec.closed:
        return (), "closed_date", False
    if day in spec.open:
        windows = spec.weekly[0]
    elif spec.country and day in oracle_holidays(spec.country, day.year):
        return (), "holiday", True
    elif spec.country and day in oracle_holidays(spec.country, day.year).weekend_workdays:
        windows = spec.weekly[0]
    else:
        windows = spec.weekly[day.weekday()]
    return windows, ("outside_hours" if windows else "weekend"), False


def wall_instant(zone: ZoneInfo, day: datetime.date, second: int) -> int:
    # aware datetime + timedelta is wall-clock arithmetic and keeps fold=0
    midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=zone)
    return int((midnight + datetime.timedelta(seconds=second)).timestamp())


@cache
def oracle_day_spans(spec: Spec, day: datetime.date) -> tuple[tuple[int, int], ...]:
    zone = ZoneInfo(spec.timezone)
    return tuple((wall_instant(zone, day, s), wall_instant(zone, day, e)) for s, e in oracle_day(spec, day)[0])


def oracle_is_open(spec: Spec, instant: int) -> bool:
    wall_day = datetime.datetime.fromtimestamp(instant, ZoneInfo(spec.timezone)).date()
    for day in (wall_day - DAY, wall_day, wall_day + DAY):
        for start, end in oracle_day_spans(spec, day):
            if start <= instant < end:
                return True
    return False


def oracle_elapsed(spec: Spec, start: int, end: int) -> int:
    total = 0
    t = start
    while t < end:
        if t % MINUTE == 0 and t + MINUTE <= end:
            total += MINUTE if oracle_is_open(spec, t) else 0
            t += MINUTE
        else:
            total += oracle_is_open(spec, t)
            t += 1
    return total


def oracle_closed_reason(spec: Spec, instant: int) -> str:
    """The reason of the local day whose fold=0 midnights enclose the instant."""
    zone = ZoneInfo(spec.timezone)
    day = datetime.datetime.fromtimestamp(instant, zone).date()
    while instant < wall_instant(zone, day, 0):
        day -= DAY
    while instant >= wall_instant(zone, day + DAY, 0):
        day += DAY
    return oracle_day(spec, day)[1]


# --- random calendars and instants --------------------------------------------------------------

# quarter hours, with the DST hours 01:00-03:30 and the day's ends made likely
boundary_minutes = st.one_of(
    st.integers(0, 96).map(lambda q: q * 15),
    st.sampled_from([0, 60, 120, 150, 180, 210, 1440]),
)


@st.composite
def day_windows(draw) -> tuple[tuple[int, int], ...]:
    if draw(st.integers(0, 4)) == 0:
        return ()
    edges = sorted(draw(st.lists(boundary_minutes, min_size=2, max_size=6, unique=True)))
    pairs = [(edges[i] * MINUTE, edges[i + 1] * MINUTE) for i in range(0, len(edges) - 1, 2)]
    return tuple(pairs)


@st.composite
def scenarios(draw, max_span_hours: int = 60) -> tuple[Spec, int, int]:
    timezone = draw(st.sampled_from(sorted(PLACES)))
    country, anchors = PLACES[timezone]
    anchor = datetime.date.fromisoformat(draw(st.sampled_from(anchors)))
    nearby = st.integers(-3, 3).map(lambda offset: anchor + offset * DAY)
    spec = Spec(
        timezone=timezone,
        country=draw(st.sampled_from([country, country, None])),
        weekly=tuple(draw(day_windows()) for _ in range(7)),
        closed=frozenset(draw(st.lists(nearby, max_size=2))),
        open=frozenset(),
    )
    spec = Spec(
        spec.timezone,
        spec.country,
        spec.weekly,
        spec.closed,
        frozenset(d for d in draw(st.lists(nearby, max_size=2)) if d not in spec.closed),
    )
    zone = ZoneInfo(timezone)
    # often start in the small hours, where the DST changes of Berlin and New York happen
    offset = draw(st.one_of(st.integers(-36 * 3600, 24 * 3600), st.integers(-2 * 3600, 5 * 3600)))
    start = wall_instant(zone, anchor, 0) + offset
    end = start + draw(st.integers(0, max_span_hours * 3600))
    return spec, start, end


fast = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- properties ---------------------------------------------------------------------------------


@fast
@given(scenarios())
def test_elapsed_equals_the_oracle(scenario):
    spec, start, end = scenario
    assert spec.engine().elapsed(start, end) == oracle_elapsed(spec, start, end)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_span_hours=2))
def test_elapsed_equals_the_oracle_second_by_second(scenario):
    spec, start, end = scenario
    expected = sum(oracle_is_open(spec, t) for t in range(start, end))
    assert spec.engine().elapsed(start, end) == expected


@fast
@given(scenarios(), st.integers(0, 40 * 3600))
def test_add_reaches_exactly_the_budget_at_the_first_possible_instant(scenario, seconds):
    spec, start, _ = scenario
    calendar = spec.engine()
    if calendar.elapsed(start, start + 400 * 86_400) < seconds:
        return  # a random calendar may be almost always closed; add() would search for years
    due = calendar.add(start, seconds)
    assert due >= start
    assert calendar.elapsed(start, due) == seconds
    if due - start <= 5 * 86_400:
        assert oracle_elapsed(spec, start, due) == seconds
    if seconds > 0:
        # the second just before the due instant is open, so no earlier instant reaches the budget
        assert oracle_is_open(spec, due - 1)
    else:
        assert due == start


@fast
@given(scenarios())
def test_add_of_elapsed_never_overshoots(scenario):
    spec, start, end = scenario
    calendar = spec.engine()
    due = calendar.add(start, calendar.elapsed(start, end))
    assert start <= due <= max(start, end)


@fast
@given(
    scenarios(),
    st.lists(st.tuples(st.integers(-86_400, 3 * 86_400), st.integers(-3600, 3 * 86_400)), min_size=1, max_size=30),
)
def test_vectorised_equals_scalar(scenario, offsets):
    spec, anchor, _ = scenario
    calendar = spec.engine()
    starts = np.array([anchor + a for a, _ in offsets], dtype=np.int64)
    other = np.array([anchor + a + b for a, b in offsets], dtype=np.int64)
    budgets = np.abs(other - starts) // 7
    assert calendar.elapsed_many(starts, other).tolist() == [
        calendar.elapsed(int(a), int(b)) for a, b in zip(starts, other)
    ]
    if calendar.elapsed(anchor, anchor + 400 * 86_400) > int(budgets.max()) * 2:
        assert calendar.add_many(starts, budgets).tolist() == [
            calendar.add(int(a), int(s)) for a, s in zip(starts, budgets)
        ]


@fast
@given(scenarios())
def test_closures_and_open_intervals_tile_the_span(scenario):
    spec, start, end = scenario
    calendar = spec.engine()
    opened = calendar.open_intervals(start, end)
    closed = calendar.closures(start, end)
    pieces = sorted([(a, b, "open") for a, b in opened] + [(c.start, c.end, c.reason) for c in closed])
    cursor = start
    for a, b, _ in pieces:
        assert a == cursor and b > a
        cursor = b
    assert cursor == max(start, end)
    assert sum(b - a for a, b in opened) == calendar.elapsed(start, end)
    for (_, b), (a, _) in zip(opened, opened[1:]):
        assert b < a, "touching open intervals should have been merged"
    for left, right in zip(closed, closed[1:]):
        assert not (left.end == right.start and (left.reason, left.label) == (right.reason, right.label))
    # every piece agrees with the oracle at its first and last second, and at each whole hour inside
    for a, b, reason in pieces:
        probes = {a, b - 1, *range(a - a % 3600 + 3600, b, 3600)}
        for t in probes:
            if reason == "open":
                assert oracle_is_open(spec, t)
            else:
                assert not oracle_is_open(spec, t)
                assert oracle_closed_reason(spec, t) == reason


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(PLACES)), st.integers(-5 * 86_400, 5 * 86_400))
def test_holiday_closures_carry_the_holidays_name(timezone, shift):
    country, anchors = PLACES[timezone]
    calendar = BusinessCalendar("weekdays", timezone, {d: [(9 * 3600, 17 * 3600)] for d in range(7)}, country)
    start = wall_instant(ZoneInfo(timezone), datetime.date.fromisoformat(anchors[0]), 0) + shift
    names = holidays.country_holidays(country, years=range(2025, 2028))
    for closure in calendar.closures(start, start + 4 * 86_400):
        day = datetime.datetime.fromtimestamp(closure.start, ZoneInfo(timezone)).date()
        if closure.reason == "holiday":
            assert day in names and closure.label
        else:
            assert closure.label == ""


@pytest.mark.parametrize("timezone", sorted(PLACES))
def test_a_whole_year_matches_the_oracle_quarter_hour_by_quarter_hour(timezone):
    """Coarse but long: every quarter hour of a year, with lunch breaks, 24:00 ends and the DST days."""
    country, _ = PLACES[timezone]
    lunch_break = ((8 * 3600, 12 * 3600), (13 * 3600, 18 * 3600))
    late_friday = ((22 * 3600, 86_400),)
    early_saturday = ((0, 2 * 3600),)
    sunday_across_the_dst_hour = ((3600, 9000), (9900, 86_400))  # 01:00-02:30, 02:45-24:00
    spec = Spec(
        timezone,
        country,
        (lunch_break,) * 4 + (late_friday, early_saturday, sunday_across_the_dst_hour),
        closed=frozenset({datetime.date(2026, 6, 1)}),
        open=frozenset({datetime.date(2026, 6, 7)}),
    )
    calendar = spec.engine()
    zone = ZoneInfo(timezone)
    begin = wall_instant(zone, datetime.date(2026, 1, 1), 0) - 7200
    probes = [begin + 900 * q for q in range(366 * 96)]
    opened = calendar.open_intervals(probes[0], probes[-1])
    open_starts = [a for a, _ in opened]
    for t in probes[:-1]:
        k = bisect_right(open_starts, t) - 1
        engine_open = k >= 0 and opened[k][0] <= t < opened[k][1]
        assert engine_open == oracle_is_open(spec, t), datetime.datetime.fromtimestamp(t, zone)
