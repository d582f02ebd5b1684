"""A stored report's measures as CSV: one row per measure, the kernel's figures unchanged."""

import csv
import io

from servicepact.slm.reporting.presentation import ReportLayout

COLUMNS = ["contract", "version", "period", "scope", "id", "measure", "value", "numerator", "denominator",
           "target", "met", "baseline"]


def report_csv(report_layout: ReportLayout) -> bytes:
    report, data = report_layout.report, report_layout.data
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    scope = report.scope if not report.scope_key else f"{report.scope}:{report.scope_key}"
    for row in report_layout.measures:
        writer.writerow([
            data["contract"], data["version"], data["period"], scope, row.id, row.measure, _cell(row.value),
            _cell(row.numerator), _cell(row.denominator), _cell(row.target), _cell(row.met), _cell(row.baseline),
        ])
    # A byte-order mark so that spreadsheet programs read the UTF-8 (team and service names may be Chinese).
    return "\ufeff".encode() + buffer.getvalue().encode()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
