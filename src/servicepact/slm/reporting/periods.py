"""Reporting periods of stored reports: the kernel's days, weeks and months, one definition for both.

Days (``2026-03-09``), ISO weeks (``2026-W10``) and months (``2026-03``) are cut by the kernel in the
contract's reporting time zone, so a stored report's period is the one ``servicepact report`` computes.
"""

import datetime
from zoneinfo import ZoneInfo

from servicepact.sla.periods import Period, PeriodError, parse_period
from servicepact.slm.models import ReportKind

KERNEL_KIND = {ReportKind.WEEKLY: "week", ReportKind.MONTHLY: "month", ReportKind.DAILY: "day"}


def period_for(kind: str, label: str, tz: str) -> Period:
    """The period of a ``kind`` of report named ``label``; PeriodError names a label that does not fit."""
    if kind not in KERNEL_KIND:
        raise PeriodError(f"kind {kind!r}: expected one of {', '.join(ReportKind.values)}")
    period = parse_period(label, tz)
    if period.kind != KERNEL_KIND[kind]:
        raise PeriodError(f"period {label!r} is a {period.kind}, not the period of a {kind} report")
    return period


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
    return datetime.datetime.fromtimestamp(second, tz=datetime.UTC)
