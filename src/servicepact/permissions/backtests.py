"""Backtests of draft contracts and the downloads the worker prepares: their starter's own.

A draft is a party's position until it registers it, so a backtest is seen by the person who started it
(while they still read the contract's reports), not by the other party. A prepared download holds what its
requester may read (a contract's events redacted to them), so it is theirs alone too.
"""

from django.db.models import QuerySet

from servicepact.permissions.principal import Principal
from servicepact.permissions.reports import can_backtest, can_read_reports, visible_reports


def visible_backtest_runs(runs: QuerySet, who: Principal) -> QuerySet:
    return visible_reports(runs, who).filter(started_by_id=who.user_id)


def visible_prepared_downloads(downloads: QuerySet, who: Principal) -> QuerySet:
    return visible_reports(downloads, who).filter(requested_by_id=who.user_id)


def can_read_backtest(user, run) -> bool:
    """A run found among one's own (``visible_to``), while one may still backtest the contract."""
    return can_backtest(user, run.contract)


def can_read_download(user, download) -> bool:
    return can_read_reports(user, download.contract)
