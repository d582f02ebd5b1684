"""Starting the work a page leaves to the worker: a backtest of a draft, a download that reads a whole log.

The row is written first and the task enqueued once it is committed, so the worker always finds it; the
page then follows the row's progress.
"""

from django.db import transaction

from servicepact.contracts.models import Contract
from servicepact.imports.models import ImportRun
from servicepact.slm.models import BacktestRun, DownloadKind, PreparedDownload, StoredReport, WorkStatus
from servicepact.slm.reporting.backtesting import start_run
from servicepact.slm.reporting.prepared import new_download
from servicepact.slm.tasks_backtest import prepare_download, run_backtest


def start_backtest(
    contract: Contract, *, actor, draft_text: str, first: str, last: str, history: ImportRun | None = None
) -> BacktestRun:
    """Check the draft and the months (``DraftRefused`` names each problem with its line; nothing is
    started) and leave the backtest to the worker."""
    with transaction.atomic():
        run = start_run(contract, actor=actor, draft_text=draft_text, first=first, last=last, history=history)
        transaction.on_commit(lambda: run_backtest.enqueue(run.pk))
    return run


def request_download(
    kind: DownloadKind, contract: Contract, *, actor, report: StoredReport | None = None
) -> PreparedDownload:
    """The person's download of this kind being prepared, or a new one left to the worker: asking again
    while the worker writes it does not start another, asking after it is done prepares a fresh copy."""
    waiting = (
        PreparedDownload.objects.visible_to(actor)
        .filter(kind=kind, contract=contract, report=report, status__in=(WorkStatus.QUEUED, WorkStatus.RUNNING))
        .first()
    )
    if waiting is not None:
        return waiting
    with transaction.atomic():
        download = new_download(kind, contract, actor=actor, report=report)
        transaction.on_commit(lambda: prepare_download.enqueue(download.pk))
    return download
