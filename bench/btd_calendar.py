"""A businesstimedelta-backed stand-in for the kernel's BusinessCalendar, to compare replay speed.

Only what a replay calls is here: ``elapsed`` and ``add`` on epoch seconds, and ``is_always_open``.
businesstimedelta knows no weekend working days (China's make-up days), so results can differ from
the kernel on those dates; the benchmark reports how many clock lines differ.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import businesstimedelta
import holidays
import numpy as np
import pytz

UTC = pytz.utc


def _time_of(second: int) -> dt.time:
    if second >= 86400:
        return dt.time(23, 59, 59)
    return dt.time(second // 3600, second // 60 % 60, second % 60)


class BtdCalendar:
    is_always_open = False

    def __init__(self, name: str, definition: Any):
        self.name = name
        self._zone = pytz.timezone(definition.timezone)
        days_by_window: dict[tuple[int, int], list[int]] = {}
        for weekday, windows in definition.weekly.items():
            for window in windows:
                days_by_window.setdefault(tuple(window), []).append(weekday)
        rules: list = [
            businesstimedelta.WorkDayRule(
                start_time=_time_of(start), end_time=_time_of(end), working_days=days, tz=self._zone
            )
            for (start, end), days in sorted(days_by_window.items())
        ]
        if definition.holidays:
            country = holidays.country_holidays(definition.holidays, years=range(2025, 2029))
            rules.append(businesstimedelta.HolidayRule(country, tz=self._zone))
        self._rules = businesstimedelta.Rules(rules)

    def elapsed(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        delta = self._rules.difference(dt.datetime.fromtimestamp(start, UTC), dt.datetime.fromtimestamp(end, UTC))
        return delta.hours * 3600 + delta.seconds

    def add(self, start: int, seconds: int) -> int:
        if seconds == 0:
            return start
        moment = dt.datetime.fromtimestamp(start, UTC) + businesstimedelta.BusinessTimeDelta(
            self._rules, seconds=seconds
        )
        return int(moment.timestamp())

    # businesstimedelta has no vectorised form: the replay's array queries are answered one by one.
    def elapsed_many(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        return np.array(
            [self.elapsed(start, end) for start, end in zip(starts.tolist(), ends.tolist())], dtype=np.int64
        )

    def add_many(self, starts: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        return np.array(
            [self.add(start, amount) for start, amount in zip(starts.tolist(), seconds.tolist())], dtype=np.int64
        )


class BtdContract:
    """The contract with its business calendars answered by businesstimedelta (24x7 stays the kernel's)."""

    def __init__(self, contract: Any):
        self._contract = contract
        self._calendars: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._contract, name)

    def business_calendar(self, name: str) -> Any:
        calendar = self._calendars.get(name)
        if calendar is None:
            kernel_calendar = self._contract.business_calendar(name)
            if kernel_calendar.is_always_open:
                calendar = kernel_calendar
            else:
                calendar = BtdCalendar(name, self._contract.calendars[name])
            self._calendars[name] = calendar
        return calendar
