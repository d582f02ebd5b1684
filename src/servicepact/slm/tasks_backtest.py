"""Background work the pages leave to the worker: a backtest of a draft contract, a download that reads a
whole log. Each records its progress on its row, which the page polls; each is safe to run twice."""

from django_tasks import task

from servicepact.slm.models import BacktestRun, PreparedDownload
from servicepact.slm.reporting.backtesting import execute_run
from servicepact.slm.reporting.prepared import prepare


@task()
def run_backtest(run_id: int) -> dict[str, str | int]:
    run = BacktestRun.objects.select_related("contract", "history", "in_force").get(pk=run_id)
    execute_run(run)
    return {"status": run.status, "tickets": run.tickets_done, "months": run.months_done}


@task()
def prepare_download(download_id: int) -> dict[str, str | int]:
    download = PreparedDownload.objects.select_related("contract", "report", "requested_by").get(pk=download_id)
    prepare(download)
    return {"status": download.status, "size": download.size}
