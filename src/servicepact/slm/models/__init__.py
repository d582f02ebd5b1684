from servicepact.slm.models.backtest import BacktestRun, WorkStatus
from servicepact.slm.models.clock import ClockState, ClockStateKind
from servicepact.slm.models.download import DownloadKind, PreparedDownload
from servicepact.slm.models.report import (
    DeliveryStatus,
    ReportDelivery,
    ReportKind,
    ReportScope,
    ReportSubscription,
    StoredReport,
)
from servicepact.slm.models.report_log import ReportLog
from servicepact.slm.models.restatement import Restatement

__all__ = [
    "BacktestRun",
    "ClockState",
    "ClockStateKind",
    "DeliveryStatus",
    "DownloadKind",
    "PreparedDownload",
    "ReportDelivery",
    "ReportKind",
    "ReportLog",
    "ReportScope",
    "ReportSubscription",
    "Restatement",
    "StoredReport",
    "WorkStatus",
]
