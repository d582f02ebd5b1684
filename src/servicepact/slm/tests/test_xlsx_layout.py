"""The report workbook is a spreadsheet people can work with: figures are numbers with a format, dates are
dates, each table has a frozen header and a filter, and the headers speak the person's language."""

import io
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from servicepact.slm.exports.cells import number, share, text_width
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import play_week

MONTH = "2026-03"


@pytest.fixture
def workbook_of(client, world):
    play_week(world)
    report = generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, MONTH))

    def download(person: str):
        client.force_login(world.people[person])
        response = client.get(reverse("slm:report_xlsx", args=[report.pk]))
        assert response.status_code == 200
        return load_workbook(io.BytesIO(response.content))

    return download


def _header_row(sheet) -> int:
    return int(sheet.auto_filter.ref.split(":")[0][1:])


@pytest.mark.django_db
def test_figures_are_numbers_with_formats_and_dates_are_dates(workbook_of):
    book = workbook_of("analyst")
    measures = book.worksheets[0]
    header = _header_row(measures)
    rows = {row[0].value: row for row in measures.iter_rows(min_row=header + 1) if row[0].value}
    resolution = rows["resolution-compliance"]
    value, target = resolution[2], resolution[6]
    assert value.data_type == "n" and value.value == 0.75 and value.number_format == "0.00%"
    assert target.data_type == "n" and target.value == 0.95 and target.number_format == "0.00%"
    assert resolution[5].value == ">="
    assert resolution[3].data_type == "n" and resolution[4].data_type == "n"
    starts = measures["D2"]
    assert starts.is_date and isinstance(starts.value, datetime)
    assert starts.value == datetime(2026, 3, 1, 0, 0)  # midnight in the reporting zone, not UTC
    assert measures["H2"].value == "Europe/Berlin"

    credits = book.worksheets[1]
    values = {row[0].value: row[1] for row in credits.iter_rows() if row[0].value}
    assert values["Amount"].data_type == "n" and values["Amount"].value == 14400
    assert values["Amount"].number_format == "#,##0.00"
    assert values["Cap"].value == 0.15 and values["Cap"].number_format.endswith("%")
    rule = credits.cell(_header_row(credits) + 1, 4)
    assert rule.data_type == "n" and rule.number_format.endswith("%")


@pytest.mark.django_db
def test_every_table_has_a_frozen_header_a_filter_and_column_widths(workbook_of):
    book = workbook_of("analyst")
    for sheet in book.worksheets:
        assert sheet.auto_filter.ref, sheet.title
        header = _header_row(sheet)
        assert sheet.freeze_panes == f"A{header + 1}", sheet.title
        assert all(cell.font.b for cell in sheet[header] if cell.value), sheet.title
        assert sheet.column_dimensions["A"].width >= 8
        assert sheet.column_dimensions["B"].width >= 8
    measures = book.worksheets[0]
    assert measures.auto_filter.ref == f"A5:J{measures.max_row}"
    tickets = book["resolution-compliance"]
    assert tickets.auto_filter.ref == f"A1:D{tickets.max_row}" and tickets.max_row == 5


@pytest.mark.django_db
def test_headers_are_in_the_persons_language(workbook_of, world):
    analyst = world.people["analyst"]
    analyst.language = "zh-hans"
    analyst.save(update_fields=["language"])
    book = workbook_of("analyst")
    measures = book.worksheets[0]
    headers = [cell.value for cell in measures[_header_row(measures)]]
    assert headers[0] == "指标" and headers[2] == "数值" and headers[6] == "目标"
    assert "Measure" not in headers and measures["A1"].value == "合同"
    tickets = book["resolution-compliance"]
    assert [cell.value for cell in tickets[1]][:2] == ["工单", "标题"]
    # Figures stay numbers in every language.
    assert measures.cell(6, 3).data_type == "n"


def test_report_text_figures_become_numbers_and_percentages_shares():
    assert number("14400.00") == 14400.0 and isinstance(number("14400.00"), float)
    assert number("15") == 15 and number("Globex") == "Globex" and number(None) is None
    assert share(15) == 0.15 and share("2.5") == 0.025 and share(None) is None
    assert text_width("工单") == 4 and text_width("ab") == 2
