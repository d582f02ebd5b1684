"""Reporting periods of stored reports: the kernel's weeks and months, and days for daily reports.

The kernel's ``report`` command knows weeks (``2026-W10``) and months (``2026-03``). A daily report's
period is a local calendar day (``2026-03-09``) of the contract's reporting time zone, cut the same way:
from the day's first local instant, included, to the next day's, excluded.
"""

import datetime
import re
from zoneinfo import ZoneInfo

from servicepact.sla.periods import Period, PeriodError, parse_period
from servicepact.slm.models import ReportKind

DAY_LABEL = re.compile(r"\d{4}-\d{2}-\d{2}")
KERNEL_KIND = {ReportKind.WEEKLY: "week", ReportKind.MONTHLY: "month", ReportKind.DAILY: "day"}


def period_for(kind: str, label: str, tz: str) -> Period:
    """The period of a ``kind`` of report named ``label``; PeriodError names a label that does not fit."""
    if kind == ReportKind.DAILY:
        if not DAY_LABEL.fullmatch(label):
            raise PeriodError(f"period {label!r}: a daily report needs a day like 2026-03-09")
        try:
            day = datetime.date.fromisoformat(label)
        except ValueError:
            raise PeriodError(f"period {label!r}: no such day") from None
        return day_period(day, tz)
    if kind not in KERNEL_KIND:
        raise PeriodError(f"kind {kind!r}: expected one of {', '.join(ReportKind.values)}")
    period = parse_period(label, tz)
    if period.kind != KERNEL_KIND[kind]:
        raise PeriodError(f"period {label!r} is a {period.kind}, not the period of a {kind} report")
    return period


def day_period(day: datetime.date, tz: str) -> Period:
    zone = ZoneInfo(tz)
    start = _first_instant(day, zone)
    end = _first_instant(day + datetime.timedelta(days=1), zone)
    return Period(day.isoformat(), "day", start, end, tz)


def ended_periods(kind: str, tz: str, now: datetime.datetime, count: int) -> list[Period]:
    """The last ``count`` periods of ``kind`` that have ended by ``now``, oldest first."""
    today = now.astimezone(ZoneInfo(tz)).date()
    labels = []
    for back in range(1, count + 1):
        if kind == ReportKind.DAILY:
            labels.append((today - datetime.timedelta(days=back)).isoformat())
        elif kind == ReportKind.WEEKLY:
            year, week, _ = (today - datetime.timedelta(weeks=back)).isocalendar()
            labels.append(f"{year:04d}-W{week:02d}")
        else:
            month_index = today.year * 12 + today.month - 1 - back
            labels.append(f"{month_index // 12:04d}-{month_index % 12 + 1:02d}")
    periods = [period_for(kind, label, tz) for label in reversed(labels)]
    return [period for period in periods if period.end <= now.timestamp()]


def as_datetime(second: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(second, tz=datetime.timezone.utc)


def _first_instant(day: datetime.date, zone: ZoneInfo) -> int:
    # Local midnight; where a transition skips it, fold=0 lands just after the gap, the day's first instant.
    return int(datetime.datetime.combine(day, datetime.time(), tzinfo=zone).timestamp())
