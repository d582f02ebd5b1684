"""The scalar values of the contract language: durations, ratios, windows, weekdays, targets."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from servicepact.sla.contract_values import (
    Comparison,
    format_number,
    parse_comparison,
    parse_ratio,
    parse_weekdays,
    parse_window,
)
from servicepact.sla.durations import DurationError, format_duration, parse_duration


@pytest.mark.parametrize(
    "text, seconds", [("15m", 900), ("1h30m", 5400), ("80h", 288000), ("45s", 45), ("2h0m5s", 7205), ("0s", 0)]
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["1d", "", "h", "30m1h", "1.5h", "1 h", "-5m", "1w", "1h30"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(DurationError, match=f'"{text}" is not a duration; use s, m, h'):
        parse_duration(text)


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**7))
def test_durations_read_back_what_they_write(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize(
    "written, value",
    [("15%", Fraction(3, 20)), ("12.5%", Fraction(1, 8)), (Decimal("0.95"), Fraction(19, 20)), (1, 1), (0, 0)],
)
def test_ratios_are_exact(written: object, value: Fraction) -> None:
    assert parse_ratio(written) == value


@pytest.mark.parametrize("written", ["101%", Decimal("1.01"), -1, "-5%", True, "half"])
def test_ratios_out_of_range_or_not_numbers_are_refused(written: object) -> None:
    with pytest.raises(PydanticCustomError):
        parse_ratio(written)


def test_comparisons() -> None:
    assert parse_comparison(">= 0.95") == Comparison(">=", Fraction(19, 20))
    assert parse_comparison("<8h") == Comparison("<", Fraction(28800))
    assert parse_comparison("> 90%").holds(Fraction(91, 100))
    assert not parse_comparison(">= 0.95").holds(Fraction(94999, 100000))
    assert str(parse_comparison(">=0.950")) == ">= 0.95"
    with pytest.raises(PydanticCustomError, match="is not a target"):
        parse_comparison("at least 0.95")


@pytest.mark.parametrize(
    "text, window",
    [("08:00-18:00", (28800, 64800)), ("00:00-24:00", (0, 86400)), ("9:30-12:00", (34200, 43200))],
)
def test_windows(text: str, window: tuple[int, int]) -> None:
    assert parse_window(text) == window


@pytest.mark.parametrize(
    "text, message",
    [
        ("08:00-25:00", 'no valid time "25:00"'),
        ("24:00-24:00", 'no valid time "24:00"'),
        ("08:60-09:00", 'no valid time "08:60"'),
        ("18:00-08:00", "ends before it starts"),
        ("08:00-08:00", "ends before it starts"),
        ("8-18", 'no valid time "8"'),
        ("08:00", "is not a window"),
    ],
)
def test_bad_windows(text: str, message: str) -> None:
    with pytest.raises(PydanticCustomError, match=message):
        parse_window(text)


@pytest.mark.parametrize(
    "text, days",
    [("mon-fri", (0, 1, 2, 3, 4)), ("sat", (5,)), ("mon,wed", (0, 2)), ("Mon-Wed, fri", (0, 1, 2, 4)), ("sun", (6,))],
)
def test_weekdays(text: str, days: tuple[int, ...]) -> None:
    assert parse_weekdays(text) == days


@pytest.mark.parametrize(
    "text, message",
    [
        ("fri-mon", "runs backwards"),
        ("mon,mon-tue", "names mon twice"),
        ("mo", "is not a set of weekdays"),
        ("mon-tue-wed", "is not a set of weekdays"),
    ],
)
def test_bad_weekdays(text: str, message: str) -> None:
    with pytest.raises(PydanticCustomError, match=message):
        parse_weekdays(text)


def test_numbers_print_as_short_decimals() -> None:
    assert format_number(Fraction(19, 20)) == "0.95"
    assert format_number(Fraction(120000)) == "120000"
    assert format_number(Fraction(1, 3)) == "1/3"
