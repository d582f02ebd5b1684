"""BusinessCalendar on dates whose answers are known by hand: DST changes, holidays, make-up days."""

from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from servicepact.sla.calendar import BusinessCalendar, Closure

H = 3600
MON_FRI = range(5)


def at(text: str) -> int:
    """An instant from an RFC 3339 text with its offset."""
    return int(datetime.datetime.fromisoformat(text).timestamp())


def eu_business() -> BusinessCalendar:
    return BusinessCalendar("eu-business", "Europe/Berlin", {d: [(8 * H, 18 * H)] for d in MON_FRI}, "DE")


def cn_business() -> BusinessCalendar:
    return BusinessCalendar(
        "cn-business", "Asia/Shanghai", {d: [(9 * H, 12 * H), (13 * H, 18 * H)] for d in MON_FRI}, "CN"
    )


def in_business() -> BusinessCalendar:
    return BusinessCalendar("in-business", "Asia/Kolkata", {d: [(9 * H, 18 * H)] for d in MON_FRI}, "IN")


def us_business() -> BusinessCalendar:
    return BusinessCalendar("us-business", "America/New_York", {d: [(9 * H, 17 * H)] for d in MON_FRI}, "US")


def every_day(timezone: str, windows: list[tuple[int, int]], **kwargs) -> BusinessCalendar:
    return BusinessCalendar("every-day", timezone, {d: windows for d in range(7)}, **kwargs)


# --- daylight saving time in Berlin ---------------------------------------------------------------


SPRING_DAY = ("2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00")
AUTUMN_DAY = ("2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00")


@pytest.mark.parametrize(
    ("windows", "day", "hours"),
    [
        ([(0, 24 * H)], SPRING_DAY, 23),
        ([(0, 24 * H)], AUTUMN_DAY, 25),
        ([(8 * H, 18 * H)], SPRING_DAY, 10),
        ([(8 * H, 18 * H)], AUTUMN_DAY, 10),
        ([(2 * H, 3 * H)], SPRING_DAY, 0),  # the hour that does not exist
        ([(2 * H, 3 * H)], AUTUMN_DAY, 2),  # the hour that happens twice
        ([(2 * H + 1800, 4 * H)], SPRING_DAY, 0.5),  # 02:30 is taken as 03:30 CEST
        ([(1 * H, 2 * H + 1800)], AUTUMN_DAY, 1.5),  # 02:30 is its first occurrence
    ],
)
def test_berlin_dst_days(windows, day, hours):
    calendar = every_day("Europe/Berlin", windows)
    assert calendar.elapsed(at(day[0]), at(day[1])) == hours * H


def test_windows_overlapping_through_the_spring_gap_count_once():
    # 01:00-02:30 maps to 00:00Z-01:30Z and 03:00-04:00 to 01:00Z-02:00Z on 2026-03-29
    calendar = every_day("Europe/Berlin", [(1 * H, 2 * H + 1800), (3 * H, 4 * H)])
    assert calendar.open_intervals(at("2026-03-29T00:00:00Z"), at("2026-03-29T03:00:00Z")) == [
        (at("2026-03-29T00:00:00Z"), at("2026-03-29T02:00:00Z"))
    ]


def test_a_deadline_over_the_spring_weekend_lands_on_monday_wall_time():
    friday = at("2026-03-27T17:00:00+01:00")
    assert eu_business().add(friday, 2 * H) == at("2026-03-30T09:00:00+02:00")
    assert eu_business().elapsed(friday, at("2026-03-30T09:00:00+02:00")) == 2 * H


def test_a_deadline_over_the_autumn_weekend_lands_on_monday_wall_time():
    friday = at("2026-10-23T17:30:00+02:00")
    assert eu_business().add(friday, 1 * H) == at("2026-10-26T08:30:00+01:00")


# --- holidays -------------------------------------------------------------------------------------


def test_german_unity_day_on_a_friday_is_closed_and_named():
    calendar = eu_business()
    thursday, monday = at("2025-10-02T17:00:00+02:00"), at("2025-10-06T09:00:00+02:00")
    assert calendar.elapsed(thursday, monday) == 2 * H
    assert calendar.closures(thursday, monday) == [
        Closure(at("2025-10-02T18:00:00+02:00"), at("2025-10-03T00:00:00+02:00"), "outside_hours", ""),
        Closure(
            at("2025-10-03T00:00:00+02:00"), at("2025-10-04T00:00:00+02:00"), "holiday", "Tag der Deutschen Einheit"
        ),
        Closure(at("2025-10-04T00:00:00+02:00"), at("2025-10-06T00:00:00+02:00"), "weekend", ""),
        Closure(at("2025-10-06T00:00:00+02:00"), at("2025-10-06T08:00:00+02:00"), "outside_hours", ""),
    ]


def test_german_unity_day_2026_falls_on_a_saturday_and_is_explained_as_the_holiday():
    closures = eu_business().closures(at("2026-10-02T18:00:00+02:00"), at("2026-10-05T08:00:00+02:00"))
    assert [(c.reason, c.label) for c in closures] == [
        ("outside_hours", ""),
        ("holiday", "Tag der Deutschen Einheit"),
        ("weekend", ""),
        ("outside_hours", ""),
    ]


def test_easter_2026_closes_good_friday_and_easter_monday():
    calendar = eu_business()
    assert calendar.elapsed(at("2026-04-02T17:00:00+02:00"), at("2026-04-07T09:00:00+02:00")) == 2 * H
    assert calendar.add(at("2026-04-02T17:00:00+02:00"), 2 * H) == at("2026-04-07T09:00:00+02:00")


def test_eu_business_year_2026_has_254_working_days():
    start, end = at("2026-01-01T00:00:00+01:00"), at("2027-01-01T00:00:00+01:00")
    assert eu_business().elapsed(start, end) == 254 * 10 * H


def test_chinese_new_year_2026_and_its_make_up_saturdays():
    calendar = cn_business()
    # Saturdays 14 and 28 February 2026 are working days with Monday's hours
    assert calendar.elapsed(at("2026-02-14T00:00:00+08:00"), at("2026-02-15T00:00:00+08:00")) == 8 * H
    assert calendar.elapsed(at("2026-02-28T00:00:00+08:00"), at("2026-03-01T00:00:00+08:00")) == 8 * H
    assert calendar.add(at("2026-02-13T17:00:00+08:00"), 2 * H) == at("2026-02-14T10:00:00+08:00")
    # from New Year's Eve (16th) to the substituted day off on Monday the 23rd, nothing is open
    assert calendar.elapsed(at("2026-02-15T00:00:00+08:00"), at("2026-02-24T00:00:00+08:00")) == 0
    assert calendar.add(at("2026-02-14T18:00:00+08:00"), 1) == at("2026-02-24T09:00:01+08:00")
    closures = calendar.closures(at("2026-02-16T00:00:00+08:00"), at("2026-02-20T00:00:00+08:00"))
    assert [(c.reason, c.label) for c in closures] == [("holiday", "农历除夕"), ("holiday", "春节")]
    assert closures[1].end - closures[1].start == 3 * 24 * H


def test_chinese_make_up_sunday_2026_01_04_is_open():
    calendar = cn_business()
    assert calendar.elapsed(at("2026-01-04T00:00:00+08:00"), at("2026-01-05T00:00:00+08:00")) == 8 * H
    assert calendar.elapsed(at("2026-01-01T00:00:00+08:00"), at("2026-01-03T00:00:00+08:00")) == 0


def test_indian_independence_day_and_diwali_2025():
    calendar = in_business()
    assert calendar.elapsed(at("2025-08-14T17:00:00+05:30"), at("2025-08-18T10:00:00+05:30")) == 2 * H
    assert calendar.elapsed(at("2025-10-17T17:00:00+05:30"), at("2025-10-21T10:00:00+05:30")) == 2 * H
    labels = [c.label for c in calendar.closures(at("2025-08-14T18:00:00+05:30"), at("2025-08-16T00:00:00+05:30"))]
    assert labels == ["", "Independence Day"]
    diwali = calendar.closures(at("2025-10-20T00:00:00+05:30"), at("2025-10-21T00:00:00+05:30"))
    assert diwali == [
        Closure(at("2025-10-20T00:00:00+05:30"), at("2025-10-21T00:00:00+05:30"), "holiday", "Diwali (Deepavali)")
    ]


def test_us_thanksgiving_2026():
    calendar = us_business()
    assert calendar.add(at("2026-11-25T16:00:00-05:00"), 2 * H) == at("2026-11-27T10:00:00-05:00")
    thanksgiving = calendar.closures(at("2026-11-26T00:00:00-05:00"), at("2026-11-27T00:00:00-05:00"))
    assert thanksgiving == [
        Closure(at("2026-11-26T00:00:00-05:00"), at("2026-11-27T00:00:00-05:00"), "holiday", "Thanksgiving Day")
    ]


# --- closed and open dates ------------------------------------------------------------------------


def test_closed_and_open_dates_override_weekdays_holidays_and_make_up_days():
    calendar = BusinessCalendar(
        "cn-special",
        "Asia/Shanghai",
        {0: [(9 * H, 12 * H)], 1: [(10 * H, 11 * H)], 2: [(9 * H, 18 * H)]},
        "CN",
        closed=[datetime.date(2026, 2, 14), datetime.date(2026, 3, 4)],  # a make-up Saturday, a Wednesday
        open=[datetime.date(2026, 2, 17), datetime.date(2026, 3, 7), datetime.date(2026, 3, 3)],
    )
    day = 24 * H

    def open_hours(date: str) -> float:
        start = at(f"{date}T00:00:00+08:00")
        return calendar.elapsed(start, start + day) / H

    assert open_hours("2026-02-14") == 0  # closed beats make-up day
    assert open_hours("2026-02-17") == 3  # open beats Chinese New Year, with Monday's hours
    assert open_hours("2026-03-07") == 3  # an open Saturday
    assert open_hours("2026-03-03") == 3  # an open Tuesday has Monday's hours
    assert open_hours("2026-03-04") == 0
    assert [c.reason for c in calendar.closures(at("2026-03-04T00:00:00+08:00"), at("2026-03-05T00:00:00+08:00"))] == [
        "closed_date"
    ]


# --- the table's edges ----------------------------------------------------------------------------


def test_a_window_to_24_00_joins_the_next_days_window_even_across_a_new_year():
    calendar = every_day("Asia/Shanghai", [(0, 2 * H), (22 * H, 24 * H)])
    assert calendar.open_intervals(at("2025-12-31T20:00:00+08:00"), at("2026-01-01T05:00:00+08:00")) == [
        (at("2025-12-31T22:00:00+08:00"), at("2026-01-01T02:00:00+08:00"))
    ]


def test_answers_do_not_depend_on_the_order_years_are_first_reached():
    queries = [
        (at("2027-05-03T10:00:00+02:00"), at("2027-05-20T10:00:00+02:00")),
        (at("2024-12-20T10:00:00+01:00"), at("2025-01-10T10:00:00+01:00")),
        (at("2026-03-27T10:00:00+01:00"), at("2026-04-10T10:00:00+02:00")),
    ]
    grown_backwards = eu_business()
    answers = [(grown_backwards.elapsed(a, b), grown_backwards.add(a, 37 * H)) for a, b in queries]
    for (a, b), answer in zip(queries, answers):
        fresh = eu_business()
        assert (fresh.elapsed(a, b), fresh.add(a, 37 * H)) == answer


def test_add_stops_at_the_end_of_a_window_rather_than_the_next_opening():
    friday = at("2026-03-06T17:00:00+01:00")
    assert eu_business().add(friday, H) == at("2026-03-06T18:00:00+01:00")


def test_adding_nothing_returns_the_start_even_when_closed():
    sunday = at("2026-03-08T12:00:00+01:00")
    assert eu_business().add(sunday, 0) == sunday
    assert eu_business().add_many(np.array([sunday]), np.array([0])).tolist() == [sunday]


def test_reversed_or_empty_spans_have_nothing():
    calendar = eu_business()
    monday = at("2026-03-09T10:00:00+01:00")
    assert calendar.elapsed(monday, monday) == 0
    assert calendar.elapsed(monday + H, monday) == 0
    assert calendar.open_intervals(monday + H, monday) == []
    assert calendar.closures(monday + H, monday) == []
    assert calendar.elapsed_many(np.array([monday + H]), np.array([monday])).tolist() == [0]


def test_vectorised_deadlines_spanning_several_years():
    calendar = eu_business()
    starts = np.array([at("2026-12-30T17:00:00+01:00"), at("2025-06-02T08:00:00+02:00")])
    budgets = np.array([2600 * H, 10 * H])
    assert calendar.add_many(starts, budgets).tolist() == [
        calendar.add(int(s), int(b)) for s, b in zip(starts, budgets)
    ]


# --- always open ----------------------------------------------------------------------------------


def test_the_always_open_calendar_is_plain_time():
    calendar = BusinessCalendar.always()
    assert (calendar.name, calendar.is_always_open, isinstance(calendar, BusinessCalendar)) == ("24x7", True, True)
    assert calendar.elapsed(100, 4000) == 3900
    assert calendar.elapsed(4000, 100) == 0
    assert calendar.add(100, 3600) == 3700
    assert calendar.open_intervals(100, 200) == [(100, 200)]
    assert calendar.closures(100, 200) == []
    assert calendar.elapsed_many(np.array([0, 10]), np.array([5, 3])).tolist() == [5, 0]
    assert calendar.add_many(np.array([0, 10]), np.array([5, 3])).tolist() == [5, 13]
    assert BusinessCalendar.always("always").name == "always"
    assert eu_business().is_always_open is False


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Europe/Berlni"}, "timezone 'Europe/Berlni' is not a known IANA time zone"),
        ({"holidays": "XX"}, "holidays 'XX' is not a country code"),
        ({"weekly": {7: [(0, H)]}}, "weekday 7 is not 0 (Monday) .. 6 (Sunday)"),
        ({"weekly": {0: [(8 * H, 25 * H)]}}, "weekday 0 window (28800, 90000) must satisfy"),
        ({"weekly": {0: [(8 * H, 8 * H)]}}, "weekday 0 window (28800, 28800) must satisfy"),
        ({"weekly": {1: [(8 * H, 12 * H), (11 * H, 13 * H)]}}, "weekday 1 window (39600, 46800) overlaps"),
        ({"weekly": {1: [(13 * H, 14 * H), (8 * H, 9 * H)]}}, "must be sorted"),
        ({"weekly": {2: [(8 * H,)]}}, "is not a (start, end) pair"),
        ({"weekly": {2: [(8.5, 9 * H)]}}, "needs whole seconds"),
        ({"closed": ["2026-01-01"]}, "closed date '2026-01-01' is not a datetime.date"),
        (
            {"closed": [datetime.date(2026, 5, 1)], "open": [datetime.date(2026, 5, 1)]},
            "date 2026-05-01 is listed both as closed and as open",
        ),
    ],
)
def test_bad_definitions_are_refused_with_the_value_named(kwargs, message):
    arguments = {"name": "bad", "timezone": "Europe/Berlin", "weekly": {0: [(8 * H, 18 * H)]}} | kwargs
    with pytest.raises(ValueError, match="calendar 'bad'") as refused:
        BusinessCalendar(**arguments)
    assert message in str(refused.value)


def test_bad_queries_are_refused():
    calendar = eu_business()
    with pytest.raises(ValueError, match="negative number of seconds \\(-5\\)"):
        calendar.add(at("2026-03-09T10:00:00+01:00"), -5)
    with pytest.raises(ValueError, match="negative number of seconds \\(-1\\)"):
        calendar.add_many(np.array([0, 0]), np.array([5, -1]))
    with pytest.raises(ValueError, match="starts has shape \\(2,\\) but ends has shape \\(1,\\)"):
        calendar.elapsed_many(np.array([0, 0]), np.array([5]))
    with pytest.raises(ValueError, match="outside the supported years 1900..2200"):
        calendar.elapsed(0, at("2300-01-01T00:00:00Z"))
    with pytest.raises(ValueError, match="outside the supported years"):
        calendar.elapsed(0, 10**15)


def test_a_calendar_that_never_opens_cannot_reach_a_deadline():
    never = BusinessCalendar("never", "Europe/Berlin", {}, "DE")
    start = at("2026-03-09T10:00:00+01:00")
    assert never.elapsed(start, start + 86_400 * 30) == 0
    with pytest.raises(ValueError, match="calendar 'never' has fewer than 60 open seconds"):
        never.add(start, 60)


def test_vectorised_queries_keep_the_shape_of_their_input():
    calendar = eu_business()
    monday = at("2026-03-09T08:00:00+01:00")
    starts = np.array([[monday, monday + H], [monday + 2 * H, monday + 3 * H]])
    assert calendar.elapsed_many(starts, starts + H).tolist() == [[H, H], [H, H]]
    assert calendar.add_many(starts, np.full((2, 2), 10 * H)).tolist() == [
        [at("2026-03-09T18:00:00+01:00"), at("2026-03-10T09:00:00+01:00")],
        [at("2026-03-10T10:00:00+01:00"), at("2026-03-10T11:00:00+01:00")],
    ]
    assert calendar.elapsed_many(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).shape == (0,)


def test_vectorised_queries_on_quarter_hour_windows_in_a_half_hour_zone():
    # boundaries at :15 and :45 in UTC+05:30 fall inside the vectorised index's buckets
    calendar = BusinessCalendar(
        "short-windows", "Asia/Kolkata", {d: [(9 * H + 900, 9 * H + 1800), (14 * H + 2700, 17 * H)] for d in MON_FRI}
    )
    rng = np.random.default_rng(7)
    starts = at("2026-03-02T00:00:00+05:30") + rng.integers(0, 30 * 86_400, 2_000)
    ends = starts + rng.integers(-3_600, 5 * 86_400, 2_000)
    budgets = rng.integers(0, 20 * H, 2_000)
    assert calendar.elapsed_many(starts, ends).tolist() == [
        calendar.elapsed(int(a), int(b)) for a, b in zip(starts, ends)
    ]
    assert calendar.add_many(starts, budgets).tolist() == [
        calendar.add(int(a), int(s)) for a, s in zip(starts, budgets)
    ]


def test_threads_growing_one_calendar_in_different_years_get_the_same_answers():
    rng = np.random.default_rng(11)
    starts = at("2020-01-01T00:00:00+01:00") + rng.integers(0, 12 * 365 * 86_400, 400)
    budgets = rng.integers(0, 300 * H, 400)
    alone = eu_business()
    expected = [alone.add(int(a), int(s)) for a, s in zip(starts, budgets)]
    shared = eu_business()
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda pair: shared.add(int(pair[0]), int(pair[1])), zip(starts, budgets)))
    assert answers == expected
