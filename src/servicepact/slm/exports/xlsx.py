"""A stored report as a workbook: the measures, the credits, and per measure the tickets behind it."""

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from servicepact.slm.exports.cells import keep_text_as_text
from servicepact.slm.reporting.analysis import PeriodAnalysis
from servicepact.slm.reporting.presentation import ReportLayout

HEADER = Font(bold=True)
MET_FILL = PatternFill("solid", fgColor="DDF4E4")
MISSED_FILL = PatternFill("solid", fgColor="FBE0E0")
# Characters a sheet title may not hold, and its greatest length.
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


def report_workbook(report_layout: ReportLayout, analysis: PeriodAnalysis, titles: dict[str, str]) -> bytes:
    book = Workbook()
    measures = book.active
    measures.title = "Measures"
    data = report_layout.data
    _rows(
        measures,
        [
            ["Contract", data["contract"], "Version", data["version"]],
            ["Period", data["period"], "From", data["from"], "To", data["to"]],
            ["Open", data["open"], "Open and breached", data["open_breached"]],
            [],
            ["Measure", "Kind", "Value", "Numerator", "Denominator", "Target", "Met", "Baseline", "Definition"],
        ],
        header_rows=(4,),
    )
    for row in report_layout.measures:
        measures.append(
            [
                row.id,
                row.measure,
                row.value,
                row.numerator,
                row.denominator,
                row.target,
                row.verdict,
                row.baseline,
                row.definition.formula if row.definition else "",
            ]
        )
        if row.met is not None:
            for cell in measures[measures.max_row]:
                cell.fill = MET_FILL if row.met else MISSED_FILL
    _widths(measures, [28, 30, 10, 12, 12, 10, 10, 10, 80])

    credits = book.create_sheet("Credits")
    if report_layout.credits:
        total = report_layout.credits
        _rows(credits, [["Measure", "Value", "Below", "Credit %", "Applies", "Counts"]], header_rows=(0,))
        for rule in report_layout.credit_rows:
            credits.append([rule.measure, rule.value, rule.below, rule.credit_percent, rule.applies, rule.counts])
        credits.append([])
        for label, value in [
            ("Total before cap %", total["total_before_cap_percent"]),
            ("Cap %", total["cap_percent"]),
            ("Total %", total["total_percent"]),
            ("Monthly fee", total["monthly_fee"]),
            ("Amount", total["amount"]),
            ("Currency", total["currency"]),
        ]:
            credits.append([label, value])
    else:
        credits.append(["No service credits for this period (weekly and daily reports carry none)."])
    _widths(credits, [28, 12, 12, 12, 10, 10])

    used = {"Measures", "Credits"}
    for measure_id, detail in analysis.details.items():
        sheet = book.create_sheet(_sheet_title(measure_id, used))
        _rows(sheet, [["Ticket", "Title", "Counts as", "Excluded by"]], header_rows=(0,))
        numerator = set(detail["numerator_tickets"])
        for number in detail["denominator_tickets"]:
            sheet.append(
                [number, titles.get(number, ""), "numerator" if number in numerator else "denominator only", ""]
            )
        for rule, tickets in detail["excluded"].items():
            for number in tickets:
                sheet.append([number, titles.get(number, ""), "excluded", rule])
        _widths(sheet, [14, 50, 18, 30])
    buffer = io.BytesIO()
    # Ticket titles and names are people's text: none of it may run as a formula in a spreadsheet.
    keep_text_as_text(book).save(buffer)
    return buffer.getvalue()


def _rows(sheet, rows: list[list], header_rows: tuple[int, ...]) -> None:
    for index, row in enumerate(rows):
        sheet.append(row)
        if index in header_rows:
            for cell in sheet[sheet.max_row]:
                cell.font = HEADER


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _sheet_title(text: str, used: set[str]) -> str:
    title = SHEET_FORBIDDEN.sub("-", text)[:SHEET_TITLE_MAX]
    candidate, number = title, 2
    while candidate in used:
        suffix = f" ({number})"
        candidate = title[: SHEET_TITLE_MAX - len(suffix)] + suffix
        number += 1
    used.add(candidate)
    return candidate
