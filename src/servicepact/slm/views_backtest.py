"""The backtest pages: a draft contract tried on the recorded history, run by the worker; and the downloads
the worker prepares.

Each page declares its permission beside it. The backtest page is for the readers of the contract's reports
(``can_backtest``); the draft starts as the text of the version in force (or of one of one's earlier runs,
``?run=ID``). Starting checks the draft and the months at once (a problem is named with its line, and
nothing starts), then the run's page follows the worker's progress and shows the result when it is done,
as long as it is kept. A run and a prepared download are their starter's (``visible_to``); another's is not
found.
"""

from datetime import date, timedelta

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from servicepact.contracts.models import Contract
from servicepact.imports.models import ImportRun, RunStatus
from servicepact.permissions import can_backtest
from servicepact.permissions.backtests import can_read_backtest, can_read_download
from servicepact.permissions.declared import object_view
from servicepact.slm.background import start_backtest
from servicepact.slm.models import BacktestRun, PreparedDownload, WorkStatus
from servicepact.slm.reporting.backtesting import BacktestForm, DraftRefused, version_in_force
from servicepact.slm.views_reports import READ, reported_contract_view

RECENT_RUNS = 10
FLIPS_PAGE = 50


def visible_backtest(request: HttpRequest, backtest_id: int) -> BacktestRun:
    runs = BacktestRun.objects.visible_to(request.user).select_related("contract", "in_force", "history")
    return get_object_or_404(runs, pk=backtest_id)


def visible_download(request: HttpRequest, download_id: int) -> PreparedDownload:
    return get_object_or_404(
        PreparedDownload.objects.visible_to(request.user).select_related("contract"), pk=download_id
    )


backtest_view = object_view(visible_backtest, "backtest_id")
download_view = object_view(visible_download, "download_id")


def import_choices(request: HttpRequest, contract: Contract) -> list[ImportRun]:
    return list(
        ImportRun.objects.visible_to(request.user)
        .filter(contract=contract, status=RunStatus.DONE)
        .order_by("-created_at")
        .defer("mapping_text", "report")
    )


def recent_months(today: date) -> dict[str, str]:
    """The months a backtest proposes: the three full months before ``today``'s."""
    last = today.replace(day=1) - timedelta(days=1)
    first = (last.replace(day=1) - timedelta(days=1)).replace(day=1)
    first = (first - timedelta(days=1)).replace(day=1)
    return {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"}


@reported_contract_view(can_backtest, methods=("GET", "HEAD", "POST"))
def backtest(request: HttpRequest, contract: Contract) -> HttpResponse:
    """The draft's editor, started from the version in force (``?run=ID``: from that run's draft), the
    months and the history (``?history=RUN`` chooses an import, as the import's page links)."""
    imports = import_choices(request, contract)
    in_force = version_in_force(contract)
    mine = BacktestRun.objects.visible_to(request.user).filter(contract=contract)
    earlier = mine.filter(pk=request.GET["run"]).first() if request.GET.get("run", "").isdigit() else None
    initial = {"history": request.GET.get("history", ""), "draft": in_force.source if in_force else ""}
    initial |= recent_months(timezone.localdate())
    if earlier is not None:
        initial |= {"draft": earlier.draft, "first": earlier.first, "last": earlier.last, "history": earlier.history_id}
    form = BacktestForm(request.POST or None, request.FILES or None, imports=imports, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            history = next((run for run in imports if run.pk == form.cleaned_data["history"]), None)
            try:
                run = start_backtest(
                    contract,
                    actor=request.user,
                    draft_text=form.draft_text(),
                    first=form.cleaned_data["first"],
                    last=form.cleaned_data["last"],
                    history=history,
                )
            except DraftRefused as refused:
                for problem in refused.problems:
                    form.add_error("draft", problem)
            else:
                url = run.get_absolute_url()
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        status = 422
    return render(
        request,
        "slm/backtest.html",
        {
            "contract": contract,
            "form": form,
            "in_force": in_force,
            "runs": mine.select_related("history").defer("draft", "result", "changes", "verdicts")[:RECENT_RUNS],
        },
        status=status,
    )


@backtest_view(can_read_backtest, methods=READ)
def backtest_run(request: HttpRequest, run: BacktestRun) -> HttpResponse:
    return render(request, "slm/backtest_run.html", run_context(request, run))


@backtest_view(can_read_backtest, methods=READ)
def backtest_state(request: HttpRequest, run: BacktestRun) -> HttpResponse:
    """The run's progress, polled by its page while the worker runs it; its result once it is done."""
    return render(request, "slm/partials/backtest_state.html", run_context(request, run))


def run_context(request: HttpRequest, run: BacktestRun) -> dict:
    context: dict = {"run": run, "contract": run.contract}
    if run.status == WorkStatus.DONE and run.result:
        flips = [
            {**flip, "period": month["period"], "source": run.verdicts.get(flip["ticket"], {}).get(flip["clock"])}
            for month in run.result["months"]
            for flip in month["flips"]
        ]
        context |= {
            "result": run.result,
            "flips": Paginator(flips, FLIPS_PAGE).get_page(request.GET.get("page")),
            "has_verdicts": any(flip["source"] for flip in flips),
        }
    return context


@download_view(can_read_download, methods=READ)
def download(request: HttpRequest, download: PreparedDownload) -> HttpResponse:
    template = "slm/partials/download_state.html" if request.htmx else "slm/download.html"
    return render(request, template, {"download": download})


@download_view(can_read_download, methods=READ)
def download_file(request: HttpRequest, download: PreparedDownload) -> HttpResponse:
    if download.status != WorkStatus.DONE or not download.file:
        raise Http404(_("The file is not ready."))
    response = FileResponse(download.file.open("rb"), content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.name}"'
    for header, value in download.headers.items():
        response[header] = value
    return response
