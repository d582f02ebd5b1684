"""A stored report as a PDF for both parties to sign, drawn with WeasyPrint from an HTML template."""

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from servicepact.desk.models import Ticket
from servicepact.permissions import ClockSight
from servicepact.slm.models import StoredReport
from servicepact.slm.reporting.analysis import MajorIncident, analyse
from servicepact.slm.reporting.presentation import ReportLayout, layout
from servicepact.slm.reporting.trends import Trend, latest_reports, trends


def report_pdf(
    report_layout: ReportLayout,
    trends: list[Trend],
    *,
    incidents: list[MajorIncident] = (),
    titles: dict[str, str] | None = None,
    language: str = "en",
) -> bytes:
    report = report_layout.report
    html = render_to_string(
        "slm/pdf/report.html",
        {
            "report": report,
            "layout": report_layout,
            "trends": trends,
            "contract": report.contract,
            "incidents": incidents,
            "titles": titles or {},
            "customer": report.contract.customer,
            "provider": report.contract.provider,
            "printed_at": timezone.now(),
            "language": language,
        },
    )
    return HTML(string=html).write_pdf()


def printable_pdf(report: StoredReport, *, tickets: QuerySet[Ticket], sight: ClockSight, language: str = "en") -> bytes:
    """The report's PDF with the trends of its last periods (the page's download and the mail attach this):
    the titles of the major incidents among ``tickets`` (those the reader sees), the measures ``sight`` shows."""
    history = latest_reports(
        report.contract, report.kind, scope=report.scope, scope_key=report.scope_key, until=report.period_start
    )
    incidents = analyse(report).major_incidents
    titles = dict(
        tickets.filter(contract=report.contract, number__in=[incident.ticket for incident in incidents]).values_list(
            "number", "title"
        )
    )
    return report_pdf(
        layout(report, sight), trends(history, sight), incidents=incidents, titles=titles, language=language
    )
