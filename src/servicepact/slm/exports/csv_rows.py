"""A stored report's measures as CSV: one row per measure, the kernel's figures unchanged."""

import csv
import io

from servicepact.slm.exports.cells import csv_text
from servicepact.slm.reporting.presentation import ReportLayout

COLUMNS = [
    "contract",
    "version",
    "period",
    "scope",
    "id",
    "measure",
    "value",
    "numerator",
    "denominator",
    "target",
    "met",
    "baseline",
]


def report_csv(report_layout: ReportLayout) -> bytes:
    report, data = report_layout.report, report_layout.data
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    scope = report.scope if not report.scope_key else f"{report.scope}:{report.scope_key}"
    for row in report_layout.measures:
        # Every field through csv_text: text a spreadsheet would run as a formula is written as text.
        writer.writerow(
            [
                csv_text(value)
                for value in (
                    data["contract"],
                    data["version"],
                    data["period"],
                    scope,
                    row.id,
                    row.measure,
                    row.value,
                    row.numerator,
                    row.denominator,
                    row.target,
                    row.met,
                    row.baseline,
                )
            ]
        )
    # A byte-order mark so that spreadsheet programs read the UTF-8 (team and service names may be Chinese).
    return "\ufeff".encode() + buffer.getvalue().encode()
