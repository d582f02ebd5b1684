"""Downloads of a stored report: its JSON as the kernel printed it, its inputs, PDF, XLSX and CSV.

Each declares its permission beside it, as the report's pages do: whoever reads the report.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language

from servicepact.contracts.models import ContractVersion
from servicepact.desk.models import Ticket
from servicepact.permissions import can_read_report, report_clock_sight
from servicepact.slm.background import request_download
from servicepact.slm.exports.csv_rows import report_csv
from servicepact.slm.exports.names import file_name
from servicepact.slm.exports.pdf import printable_pdf
from servicepact.slm.exports.xlsx import report_workbook
from servicepact.slm.models import DownloadKind, StoredReport
from servicepact.slm.reporting.analysis import analyse
from servicepact.slm.reporting.presentation import layout
from servicepact.slm.views_reports import READ, report_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@report_view(can_read_report, methods=READ)
def report_json(request: HttpRequest, report: StoredReport) -> HttpResponse:
    return attachment(report.body.encode(), "application/json", file_name(report, ".json"))


@report_view(can_read_report, methods=READ)
def report_contract(request: HttpRequest, report: StoredReport, version: int | None = None) -> HttpResponse:
    """A contract version the report read, byte for byte the text whose SHA-256 the digest covers: the
    version in force on the period's last day, or version number ``version`` among those the report read."""
    text = report.contract_version
    if version is not None:
        read = ContractVersion.objects.visible_to(request.user).filter(pk__in=report.input_versions.values("pk"))
        text = get_object_or_404(read, number=version)
    return attachment(text.source.encode(), "application/yaml", file_name(report, f"-contract-v{text.number}.yaml"))


@report_view(can_read_report, methods=READ)
def report_events(request: HttpRequest, report: StoredReport) -> HttpResponse:
    """The event log the report was computed from (canonical form), as it keeps it: it verifies whatever
    was corrected since. A report stored before reports kept their logs gets the period's log of today,
    which the worker recomputes (``slm.reporting.prepared``): the answer is the page that follows it."""
    if report.log is not None:
        return attachment(report.log.content(), "application/x-ndjson", file_name(report, "-events.jsonl"))
    return redirect(request_download(DownloadKind.REPORT_EVENTS, report.contract, actor=request.user, report=report))


@report_view(can_read_report, methods=READ)
def report_outages(request: HttpRequest, report: StoredReport) -> HttpResponse:
    """The outage log the report's availability measures counted (canonical form), as it keeps it; empty
    for a report whose contract version has no availability measure."""
    content = report.outage_log.content() if report.outage_log is not None else b""
    return attachment(content, "application/x-ndjson", file_name(report, "-outages.jsonl"))


@report_view(can_read_report, methods=READ)
def report_scores(request: HttpRequest, report: StoredReport) -> HttpResponse:
    """The satisfaction scores the report counted (canonical form, a valid ``--scores`` file), as it keeps
    them; ``{}`` for a report whose contract version has no satisfaction measure."""
    content = report.scores_log.content() if report.scores_log is not None else b"{}\n"
    return attachment(content, "application/json", file_name(report, "-scores.json"))


@report_view(can_read_report, methods=READ)
def report_csv_file(request: HttpRequest, report: StoredReport) -> HttpResponse:
    sight = report_clock_sight(request.user, report)
    return attachment(report_csv(layout(report, sight)), "text/csv; charset=utf-8", file_name(report, ".csv"))


@report_view(can_read_report, methods=READ)
def report_xlsx(request: HttpRequest, report: StoredReport) -> HttpResponse:
    sight = report_clock_sight(request.user, report)
    analysis = analyse(report)
    analysis.details = {
        key: detail for key, detail in analysis.details.items() if sight.shows_measure(detail["measure"])
    }
    titles = dict(
        Ticket.objects.visible_to(request.user)
        .filter(contract=report.contract, number__in=analysis.detail_tickets())
        .values_list("number", "title")
    )
    return attachment(report_workbook(layout(report, sight), analysis, titles), XLSX, file_name(report, ".xlsx"))


@report_view(can_read_report, methods=READ)
def report_pdf_file(request: HttpRequest, report: StoredReport) -> HttpResponse:
    pdf = printable_pdf(
        report,
        tickets=Ticket.objects.visible_to(request.user),
        sight=report_clock_sight(request.user, report),
        language=get_language() or "en",
    )
    return attachment(pdf, "application/pdf", file_name(report, ".pdf"))
