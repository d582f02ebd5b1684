"""A stored report as a workbook: the measures, the credits, and per measure the tickets behind it.

Figures are written as numbers with a number format (ratios as percentages, durations in hours, money with
two decimals) and instants as dates in the contract's reporting zone, so a spreadsheet sorts and sums
them; every table has a bold header row, frozen, with a filter; headers speak the active language.
"""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from servicepact.sla.contract_checks import measure_unit
from servicepact.slm.exports.cells import (
    DATETIME_FORMAT,
    HOURS_FORMAT,
    MONEY_FORMAT,
    fit_widths,
    hours,
    keep_text_as_text,
    number,
    percent_format,
    share,
)
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
    measures.title = _sheet_title(_("Measures"), set())
    data = report_layout.data
    zone = _reporting_zone(report_layout)
    for row in [
        [_("Contract"), data["contract"], _("Version"), data["version"]],
        [
            _("Period"),
            data["period"],
            _("Starts"),
            _instant(data["from"], zone),
            _("Ends"),
            _instant(data["to"], zone),
            _("Time zone"),
            str(zone),
        ],
        [_("Open"), data["open"], _("Open and breached"), data["open_breached"]],
        [],
    ]:
        measures.append(row)
    for cell in measures[2]:
        if isinstance(cell.value, datetime):
            cell.number_format = DATETIME_FORMAT
    header = _header(
        measures,
        [
            _("Measure"),
            _("Kind"),
            _("Value"),
            _("Numerator"),
            _("Denominator"),
            _("Comparison"),
            _("Target"),
            _("Result"),
            _("Baseline"),
            _("Definition"),
        ],
    )
    verdicts = {"met": _("met"), "missed": _("missed"), "none": _("nothing to count")}
    for row in report_layout.measures:
        comparison, target = _target(row.target)
        measures.append(
            [
                row.id,
                row.measure,
                _figure(row.measure, row.value),
                row.numerator,
                row.denominator,
                comparison,
                _figure(row.measure, target),
                verdicts[row.verdict],
                _figure(row.measure, row.baseline),
                row.definition.formula if row.definition else "",
            ]
        )
        line = measures[measures.max_row]
        for index in (2, 6, 8):  # value, target, baseline: in the measure's unit
            _format_figure(line[index], row.measure, places=6 if row.measure == "availability" else 2)
        if row.met is not None:
            for cell in line:
                cell.fill = MET_FILL if row.met else MISSED_FILL
    _table(measures, header, widest={10: 80})

    credits = book.create_sheet(_sheet_title(_("Credits"), {measures.title}))
    if report_layout.credits:
        total = report_layout.credits
        units = {row.id: row.measure for row in report_layout.measures}
        header = _header(credits, [_("Measure"), _("Value"), _("Below"), _("Credit"), _("Applies"), _("Counts")])
        for rule in report_layout.credit_rows:
            kind = units.get(rule.measure, "")
            credits.append(
                [
                    rule.measure,
                    _figure(kind, rule.value),
                    _figure(kind, number(rule.below)),
                    share(rule.credit_percent),
                    rule.applies,
                    rule.counts,
                ]
            )
            line = credits[credits.max_row]
            _format_figure(line[1], kind, places=2)
            _format_figure(line[2], kind, places=2)
            line[3].number_format = percent_format(2)
        last_rule = credits.max_row
        credits.append([])
        for label, value, number_format in [
            (_("Total before cap"), share(total["total_before_cap_percent"]), percent_format(2)),
            (_("Cap"), share(total["cap_percent"]), percent_format(2)),
            (_("Total"), share(total["total_percent"]), percent_format(2)),
            (_("Monthly fee"), number(total["monthly_fee"]), MONEY_FORMAT),
            (_("Amount"), number(total["amount"]), MONEY_FORMAT),
            (_("Currency"), total["currency"], None),
        ]:
            credits.append([label, value])
            if number_format:
                credits.cell(credits.max_row, 2).number_format = number_format
        _table(credits, header, last_row=last_rule)
    else:
        credits.append([_("No service credits for this period (weekly and daily reports carry none).")])
        fit_widths(credits)

    used = {measures.title, credits.title}
    counts_as = {
        "numerator": _("numerator"),
        "denominator": _("denominator only"),
        "excluded": _("excluded"),
    }
    for measure_id, detail in analysis.details.items():
        sheet = book.create_sheet(_sheet_title(measure_id, used))
        header = _header(sheet, [_("Ticket"), _("Title"), _("Counts as"), _("Excluded by")])
        numerator = set(detail["numerator_tickets"])
        for ticket in detail["denominator_tickets"]:
            sheet.append(
                [
                    ticket,
                    titles.get(ticket, ""),
                    counts_as["numerator" if ticket in numerator else "denominator"],
                    "",
                ]
            )
        for rule, tickets in detail["excluded"].items():
            for ticket in tickets:
                sheet.append([ticket, titles.get(ticket, ""), counts_as["excluded"], rule])
        _table(sheet, header, widest={2: 60})
    buffer = io.BytesIO()
    # Ticket titles and names are people's text: none of it may run as a formula in a spreadsheet.
    keep_text_as_text(book).save(buffer)
    return buffer.getvalue()


def _header(sheet, labels: list[str]) -> int:
    """Appends a bold header row; returns its row number."""
    sheet.append(labels)
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER
    return sheet.max_row


def _table(sheet, header: int, last_row: int | None = None, widest: dict[int, int] | None = None) -> None:
    """The rows from ``header`` to ``last_row`` as a table: the header stays in view, every column filters."""
    last_row = max(last_row or sheet.max_row, header)
    columns = max((len([c for c in sheet[header] if c.value is not None])), 1)
    sheet.freeze_panes = sheet.cell(header + 1, 1).coordinate
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(columns)}{last_row}"
    fit_widths(sheet, widest=widest)


def _figure(kind: str, value):
    """A measure's figure as the number a spreadsheet shows: a ratio as it is (shown as a percentage),
    seconds as hours."""
    if value is None or isinstance(value, bool):
        return value
    figure = number(value)
    if not isinstance(figure, (int, float)):
        return figure
    if measure_unit(kind) == "seconds":
        return hours(figure)
    return figure


def _format_figure(cell, kind: str, places: int) -> None:
    if not isinstance(cell.value, (int, float)) or isinstance(cell.value, bool):
        return
    unit = measure_unit(kind) if kind else "number"
    if unit == "ratio":
        cell.number_format = percent_format(places if kind == "availability" else 2)
    elif unit == "seconds":
        cell.number_format = HOURS_FORMAT


def _target(text: str | None) -> tuple[str, object]:
    """A target as written in the contract (``">= 0.95"``): its comparison and its number."""
    if not text:
        return "", None
    comparison, _space, figure = str(text).strip().partition(" ")
    if not figure:
        return "", number(comparison)
    return comparison, number(figure)


def _reporting_zone(report_layout: ReportLayout) -> ZoneInfo:
    try:
        return ZoneInfo(report_layout.report.contract_version.kernel().reporting_timezone)
    except (AttributeError, KeyError, ValueError):
        return ZoneInfo("UTC")


def _instant(text: str, zone: ZoneInfo):
    """A kernel instant (``2026-03-01T00:00:00Z``) as a date and time in ``zone``; a spreadsheet stores no
    zone, so the sheet names it beside the figures."""
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return text
    return moment.astimezone(zone).replace(tzinfo=None)


def _sheet_title(text: str, used: set[str]) -> str:
    title = SHEET_FORBIDDEN.sub("-", text)[:SHEET_TITLE_MAX]
    candidate, count = title, 2
    while candidate in used:
        suffix = f" ({count})"
        candidate = title[: SHEET_TITLE_MAX - len(suffix)] + suffix
        count += 1
    used.add(candidate)
    return candidate
