import datetime
from zoneinfo import ZoneInfo

import pytest

from servicepact.sla.periods import PeriodError, month_range, parse_period


def instant(text: str) -> int:
    return int(datetime.datetime.fromisoformat(text).timestamp())


def test_iso_week_is_cut_at_local_monday_midnight():
    period = parse_period("2026-W10", "Europe/Berlin")
    assert period.kind == "week"
    assert period.start == instant("2026-03-02T00:00:00+01:00")
    assert period.end == instant("2026-03-09T00:00:00+01:00")


def test_month_spanning_a_summer_time_change_is_one_hour_short():
    period = parse_period("2026-03", "Europe/Berlin")
    assert period.start == instant("2026-03-01T00:00:00+01:00")
    assert period.end == instant("2026-04-01T00:00:00+02:00")
    assert period.end - period.start == 31 * 86400 - 3600


def test_week_one_may_start_in_the_previous_year():
    period = parse_period("2026-W01", "UTC")
    assert period.start == instant("2025-12-29T00:00:00+00:00")


def test_week_53_exists_only_in_long_years():
    assert parse_period("2026-W53", "UTC").start == instant("2026-12-28T00:00:00+00:00")
    with pytest.raises(PeriodError, match="weeks 01 to 52"):
        parse_period("2027-W53", "UTC")


def test_december_ends_at_next_january():
    period = parse_period("2026-12", "Asia/Shanghai")
    assert period.end == instant("2027-01-01T00:00:00+08:00")


def test_skipped_local_midnight_starts_at_the_transition():
    # Chile moved clocks from 00:00 to 01:00 on 2026-09-06; the day's first instant is 04:00 UTC.
    period = parse_period("2026-W37", "America/Santiago")
    assert period.start == instant("2026-09-07T00:00:00-03:00")
    first = parse_period("2026-09", "America/Santiago")
    day = datetime.datetime.fromtimestamp(first.start, ZoneInfo("America/Santiago"))
    assert day.date() == datetime.date(2026, 9, 1)
    assert datetime.datetime.fromtimestamp(first.start - 1, ZoneInfo("America/Santiago")).date() < day.date()


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2026-W54", "weeks 01 to 53"),
        ("2026-W00", "weeks 01 to 53"),
        ("2026-13", "month must be 01 to 12"),
        ("2026-00", "month must be 01 to 12"),
        ("2026/03", "expected an ISO week like 2026-W10 or a month like 2026-03"),
        ("2026-3", "expected an ISO week"),
        ("", "expected an ISO week"),
    ],
)
def test_bad_labels_are_refused_with_their_text(label, message):
    with pytest.raises(PeriodError, match=message) as error:
        parse_period(label, "Europe/Berlin")
    assert repr(label) in str(error.value)


def test_unknown_time_zone_is_named():
    with pytest.raises(PeriodError, match="Mars/Olympus"):
        parse_period("2026-03", "Mars/Olympus")


def test_month_range_covers_both_ends_and_is_contiguous():
    months = month_range("2025-11", "2026-02", "Europe/Berlin")
    assert [month.label for month in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert all(earlier.end == later.start for earlier, later in zip(months, months[1:]))


def test_month_range_refuses_reversed_or_weekly_bounds():
    with pytest.raises(PeriodError, match="comes before"):
        month_range("2026-03", "2026-01", "UTC")
    with pytest.raises(PeriodError, match="expected a month"):
        month_range("2026-W01", "2026-03", "UTC")


def test_a_day_is_cut_at_local_midnights():
    period = parse_period("2026-03-05", "Europe/Berlin")
    assert (period.label, period.kind, period.is_month) == ("2026-03-05", "day", False)
    assert period.start == instant("2026-03-05T00:00:00+01:00")
    assert period.end == instant("2026-03-06T00:00:00+01:00")


def test_the_berlin_spring_change_day_has_23_hours():
    period = parse_period("2026-03-29", "Europe/Berlin")
    assert period.start == instant("2026-03-29T00:00:00+01:00")
    assert period.end == instant("2026-03-30T00:00:00+02:00")
    assert period.end - period.start == 23 * 3600


def test_the_berlin_autumn_change_day_has_25_hours():
    period = parse_period("2026-10-25", "Europe/Berlin")
    assert period.start == instant("2026-10-25T00:00:00+02:00")
    assert period.end == instant("2026-10-26T00:00:00+01:00")
    assert period.end - period.start == 25 * 3600


def test_a_day_whose_midnight_is_skipped_starts_at_the_transition():
    # Chile's clocks jump from 00:00 to 01:00 on 2026-09-06, so that day has 23 hours from 04:00 UTC.
    period = parse_period("2026-09-06", "America/Santiago")
    assert period.start == instant("2026-09-06T04:00:00+00:00")
    assert period.end == instant("2026-09-07T00:00:00-03:00")
    assert period.end - period.start == 23 * 3600


def test_the_days_of_a_month_tile_it_exactly():
    month = parse_period("2026-10", "Europe/Berlin")
    days = [parse_period(f"2026-10-{day:02d}", "Europe/Berlin") for day in range(1, 32)]
    assert days[0].start == month.start and days[-1].end == month.end
    assert all(earlier.end == later.start for earlier, later in zip(days, days[1:]))


def test_a_leap_day_exists_only_in_leap_years():
    assert parse_period("2028-02-29", "UTC").start == instant("2028-02-29T00:00:00+00:00")
    with pytest.raises(PeriodError, match="2026-02 has days 01 to 28, not 29"):
        parse_period("2026-02-29", "UTC")


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2026-02-30", "2026-02 has days 01 to 28, not 30"),
        ("2026-04-31", "2026-04 has days 01 to 30, not 31"),
        ("2026-03-00", "2026-03 has days 01 to 31, not 00"),
        ("2026-13-01", "month must be 01 to 12, not 13"),
        ("2026-3-5", "or a day like 2026-03-05"),
        ("2026-03-05T00:00", "or a day like 2026-03-05"),
        ("20260305", "or a day like 2026-03-05"),
        ("0000-01-01", "year must be 1970 to 2199, not 0000"),
        ("9999-12-31", "year must be 1970 to 2199, not 9999"),
        ("9999-W52", "year must be 1970 to 2199, not 9999"),
        ("0001-12", "year must be 1970 to 2199, not 0001"),
        ("1969-12", "year must be 1970 to 2199, not 1969"),
        ("2500-01", "year must be 1970 to 2199, not 2500"),
        ("9999-13", "year must be 1970 to 2199, not 9999"),
        ("\u0662\u0660\u0662\u0666-03", "expected an ISO week"),  # Arabic-Indic digits
        ("2026-\uff10\uff13", "expected an ISO week"),  # full-width digits
    ],
)
def test_bad_days_and_years_are_refused_with_their_text(label, message):
    with pytest.raises(PeriodError, match=message) as error:
        parse_period(label, "Europe/Berlin")
    assert repr(label) in str(error.value)


def test_month_range_refuses_days():
    with pytest.raises(PeriodError, match="expected a month"):
        month_range("2026-01-01", "2026-03", "UTC")
