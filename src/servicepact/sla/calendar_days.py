"""What a business calendar's rules say about one local date: its opening windows, or why it is closed.

The rules, in order of precedence: a `closed` date is closed all day; an `open` date is open with
Monday's windows; a public holiday of the country is closed all day; a date the `holidays` package lists
as a weekend working day (China's make-up days) is open with Monday's windows; any other date has the
windows of its weekday, and a weekday without windows is a "weekend".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import holidays as holidays_package

SECONDS_PER_DAY = 86_400
MONDAY = 0

Window = tuple[int, int]


@dataclass(frozen=True, slots=True)
class DayPlan:
    windows: tuple[Window, ...]
    # why the parts of the day outside `windows` are closed: "outside_hours" when the day has windows,
    # otherwise "holiday", "closed_date" or "weekend"
    closed_reason: str
    label: str  # the holiday's name, or ""


@dataclass(frozen=True, slots=True)
class _HolidayYear:
    names: dict[datetime.date, str]
    weekend_workdays: frozenset[datetime.date]


class DayRules:
    """The opening rules of one calendar, answered per local date (cached per year of holidays)."""

    def __init__(
        self,
        calendar_name: str,
        weekly: Mapping[int, Sequence[Window]],
        holidays: str | None,
        closed: Iterable[datetime.date],
        open: Iterable[datetime.date],
    ) -> None:
        self.calendar_name = calendar_name
        self.weekly: tuple[tuple[Window, ...], ...] = _validated_weekly(calendar_name, weekly)
        self.closed_dates = _validated_dates(calendar_name, "closed", closed)
        self.open_dates = _validated_dates(calendar_name, "open", open)
        both = sorted(self.closed_dates & self.open_dates)
        if both:
            raise ValueError(
                f"calendar {calendar_name!r}: date {both[0].isoformat()} is listed both as closed and as open"
            )
        self.holiday_country = holidays
        # Holiday names in the country's own language, never the process locale, so that explanations
        # are the same on every machine ("Tag der Deutschen Einheit", "春节").
        self._holiday_language: str | None = None
        if holidays is not None:
            try:
                probe = holidays_package.country_holidays(holidays)
            except NotImplementedError:
                raise ValueError(
                    f"calendar {calendar_name!r}: holidays {holidays!r} is not a country code "
                    "known to the holidays package"
                ) from None
            self._holiday_language = probe.default_language
        self._holiday_years: dict[int, _HolidayYear] = {}

    @property
    def has_any_window(self) -> bool:
        return any(self.weekly) or bool(self.open_dates)

    def plan(self, day: datetime.date) -> DayPlan:
        monday_windows = self.weekly[MONDAY]
        if day in self.closed_dates:
            return DayPlan((), "closed_date", "")
        if day in self.open_dates:
            return _open_or_empty(monday_windows)
        if self.holiday_country is not None:
            year = self._holiday_year(day.year)
            name = year.names.get(day)
            if name is not None:
                return DayPlan((), "holiday", name)
            if day in year.weekend_workdays:
                return _open_or_empty(monday_windows)
        return _open_or_empty(self.weekly[day.weekday()])

    def _holiday_year(self, year: int) -> _HolidayYear:
        cached = self._holiday_years.get(year)
        if cached is None:
            found = holidays_package.country_holidays(self.holiday_country, years=year, language=self._holiday_language)
            names = {day: str(name) for day, name in found.items() if day.year == year}
            # the package keeps make-up days of several years in one set: take this year's only
            workdays = frozenset(d for d in getattr(found, "weekend_workdays", ()) if d.year == year)
            cached = _HolidayYear(names, workdays)
            self._holiday_years[year] = cached
        return cached


def _open_or_empty(windows: tuple[Window, ...]) -> DayPlan:
    if windows:
        return DayPlan(windows, "outside_hours", "")
    return DayPlan((), "weekend", "")


def _validated_weekly(calendar_name: str, weekly: Mapping[int, Sequence[Window]]) -> tuple[tuple[Window, ...], ...]:
    days: list[tuple[Window, ...]] = [() for _ in range(7)]
    for weekday, windows in weekly.items():
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
            raise ValueError(f"calendar {calendar_name!r}: weekday {weekday!r} is not 0 (Monday) .. 6 (Sunday)")
        checked: list[Window] = []
        for window in windows:
            try:
                start, end = window
            except (TypeError, ValueError):
                raise ValueError(
                    f"calendar {calendar_name!r}: weekday {weekday} window {window!r} is not a (start, end) pair"
                ) from None
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
                raise ValueError(f"calendar {calendar_name!r}: weekday {weekday} window {window!r} needs whole seconds")
            if not 0 <= start < end <= SECONDS_PER_DAY:
                raise ValueError(
                    f"calendar {calendar_name!r}: weekday {weekday} window ({start}, {end}) must satisfy "
                    f"0 <= start < end <= {SECONDS_PER_DAY} (24:00)"
                )
            if checked and start < checked[-1][1]:
                raise ValueError(
                    f"calendar {calendar_name!r}: weekday {weekday} window ({start}, {end}) overlaps or "
                    f"precedes the window {checked[-1]}; windows must be sorted and must not overlap"
                )
            checked.append((start, end))
        days[weekday] = tuple(checked)
    return tuple(days)


def _validated_dates(calendar_name: str, field: str, dates: Iterable[datetime.date]) -> frozenset[datetime.date]:
    result = set()
    for value in dates:
        # a datetime is a date too, but an instant here would silently lose its time of day
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise ValueError(f"calendar {calendar_name!r}: {field} date {value!r} is not a datetime.date")
        result.add(value)
    return frozenset(result)
