"""The stored reports of the demo's whole history, so the trend pages have months of points to show.

The worker's hourly job stores only the last few periods (``slm.reporting.schedule.LOOKBACK``); a history
loaded at once needs every period it covers: each week the history reaches into (per contract and per
team), each complete month (with its credits), and the tier-1 services' last ``DAILY_DAYS`` days.
The measures are ratios, so the history's first, partial week still reads true; a month's service
credits are a whole month's commercial figure, so a month the history only partly covers has none.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import ContractVersion
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting.periods import ended_periods
from servicepact.slm.tasks_reports import generate_due

DAILY_DAYS = 14
# More periods than any history the demo loads (24 months) holds; only those inside it are kept.
FURTHEST_BACK = {ReportKind.WEEKLY: 110, ReportKind.MONTHLY: 25, ReportKind.DAILY: DAILY_DAYS}
# Kinds whose periods count only when the history covers them from their first instant.
WHOLE_PERIODS_ONLY = {ReportKind.MONTHLY, ReportKind.DAILY}


@dataclass(frozen=True)
class BackfillResult:
    periods: dict[str, int]
    generated: int
    failed: int
    seconds: float


def periods_inside(version: ContractVersion, start: datetime, end: datetime) -> dict[str, int]:
    """How many of the latest periods of each kind ended by ``end`` belong to the history from ``start``."""
    tz = kernel_contract(version).reporting_timezone
    first = start.timestamp()
    counts = {}
    for kind, furthest in FURTHEST_BACK.items():
        periods = ended_periods(kind, tz, end, furthest)
        if kind in WHOLE_PERIODS_ONLY:
            counts[kind] = sum(1 for period in periods if period.start >= first)
        else:
            counts[kind] = sum(1 for period in periods if period.end > first)
    return counts


def store_history_reports(version: ContractVersion, start: datetime, end: datetime) -> BackfillResult:
    """Store the reports of every period of the history from ``start`` to ``end`` (no mail is sent)."""
    began = time.monotonic()
    periods = periods_inside(version, start, end)
    outcome = generate_due(end, backfill=periods)
    return BackfillResult(periods, outcome["generated"], outcome["failed"], time.monotonic() - began)
