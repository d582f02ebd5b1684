"""Exports of a stored report: the PDF reads as the report, the workbook parses back, the CSV and JSON agree."""

import csv
import io
import json
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from servicepact.desk import actions
from servicepact.desk.models import Ticket
from servicepact.permissions import mailed_report_sight
from servicepact.slm.exports.pdf import printable_pdf
from servicepact.slm.models import ReportKind, StoredReport
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import WEEK, play_week

MONTH = "2026-03"


@pytest.fixture
def monthly_report(world) -> StoredReport:
    tickets = play_week(world)
    # A Chinese title, which the PDF and the workbook must carry.
    actions.update_fields(tickets["major"], actor=world.people["agent"], title="单点登录证书过期")
    return generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, MONTH))


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


@pytest.mark.django_db
def test_the_pdf_holds_parties_period_measures_credits_digest_and_signature_lines(world, monthly_report, tmp_path):
    pdf = printable_pdf(monthly_report, tickets=Ticket.objects.all(), sight=mailed_report_sight(monthly_report))
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "Globex",
        "Northwind",
        "globex-ito, version 1",
        MONTH,
        "resolution-compliance",
        "75.00 %",
        "Service credits",
        "14400.00 EUR",
        "单点登录证书过期",
        "For the customer",
        "For the provider",
        monthly_report.events_sha256[:20],
    ):
        assert expected in text.replace("\n", " ") or expected in text, expected


@pytest.mark.django_db
def test_the_pdf_download_is_a_pdf(client, world, monthly_report):
    client.force_login(world.people["customer-manager"])
    response = client.get(reverse("slm:report_pdf", args=[monthly_report.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert 'filename="globex-ito-2026-03.pdf"' in response["Content-Disposition"]


@pytest.mark.django_db
def test_the_workbook_has_measures_credits_and_a_sheet_of_tickets_per_measure(client, world, monthly_report):
    client.force_login(world.people["analyst"])
    response = client.get(reverse("slm:report_xlsx", args=[monthly_report.pk]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Measures",
        "Credits",
        "resolution-compliance",
        "response-compliance",
        "first-contact-resolution",
    ]
    measures = list(book["Measures"].iter_rows(values_only=True))
    resolution = next(row for row in measures if row[0] == "resolution-compliance")
    assert resolution[2:8] == (0.75, 3, 4, ">=", 0.95, "missed")
    credits = {row[0]: row[1] for row in book["Credits"].iter_rows(values_only=True) if row and row[0]}
    assert credits["Amount"] == 14400 and credits["Cap"] == 0.15
    tickets = list(book["resolution-compliance"].iter_rows(values_only=True))[1:]
    assert len(tickets) == 4 and sum(row[2] == "numerator" for row in tickets) == 3
    assert any(row[1] == "单点登录证书过期" for row in tickets)
    excluded = list(book["first-contact-resolution"].iter_rows(values_only=True))
    assert any(row[2] == "excluded" and row[3] == "category=hardware-onsite" for row in excluded)


@pytest.mark.django_db
def test_the_csv_has_one_row_per_measure_with_the_kernels_figures(client, world, monthly_report):
    client.force_login(world.people["analyst"])
    content = client.get(reverse("slm:report_csv", args=[monthly_report.pk])).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["id"] for row in rows] == ["resolution-compliance", "response-compliance", "first-contact-resolution"]
    assert rows[0]["value"] == "0.75" and rows[0]["met"] == "false" and rows[0]["period"] == MONTH


@pytest.mark.django_db
def test_the_json_download_is_the_stored_kernel_output(client, world, monthly_report):
    client.force_login(world.people["analyst"])
    response = client.get(reverse("slm:report_json", args=[monthly_report.pk]))
    assert response.content.decode() == monthly_report.body
    assert json.loads(response.content)["credits"]["amount"] == "14400.00"


@pytest.mark.django_db
def test_a_week_has_no_credits_sheet_rows(client, world):
    play_week(world)
    weekly = generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))
    client.force_login(world.people["analyst"])
    book = load_workbook(io.BytesIO(client.get(reverse("slm:report_xlsx", args=[weekly.pk])).content))
    assert "No service credits" in book["Credits"]["A1"].value
