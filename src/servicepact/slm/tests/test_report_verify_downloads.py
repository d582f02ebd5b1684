"""Every stored report, daily and scoped ones too, verifies with MATCH from the files its page offers.

The page links the report's JSON, the contract version's text and the event log; the event log of a
service's or a team's report is already narrowed to that scope, the log the kernel computed from.
"""

import datetime
import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from django.urls import reverse

from servicepact.desk import actions
from servicepact.sla.commands import report as report_command
from servicepact.slm.models import ReportKind, ReportScope, StoredReport
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import WEEK, play_week, utc

DOWNLOADS = {
    "report.json": "slm:report_json",
    "contract.yaml": "slm:report_contract",
    "events.jsonl": "slm:report_events",
}


def download_from_the_page(client, report: StoredReport, folder: Path) -> dict[str, Path]:
    """The three inputs of ``report verify``, fetched through the links the report page shows."""
    page = client.get(reverse("slm:report", args=[report.pk])).content.decode()
    files = {}
    for name, route in DOWNLOADS.items():
        url = reverse(route, args=[report.pk])
        assert re.search(f'href="{re.escape(url)}"', page), f"the report page does not link {url}"
        response = client.get(url)
        assert response.status_code == 200, url
        files[name] = folder / name
        files[name].write_bytes(response.content)
    return files


def verify(files: dict[str, Path], events: Path | None = None) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = report_command.main(
            [
                "verify",
                str(files["report.json"]),
                "--contract",
                str(files["contract.yaml"]),
                "--events",
                str(events or files["events.jsonl"]),
            ]
        )
    return code, out.getvalue().strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "label", "scope", "key"),
    [
        (ReportKind.DAILY, "2026-03-04", ReportScope.SERVICE, "sso"),
        (ReportKind.DAILY, "2026-03-02", ReportScope.SERVICE, "sap-erp"),
        (ReportKind.DAILY, "2026-03-05", ReportScope.CONTRACT, ""),
        (ReportKind.WEEKLY, WEEK, ReportScope.TEAM, "app-support-cn"),
        (ReportKind.WEEKLY, WEEK, ReportScope.CONTRACT, ""),
        (ReportKind.MONTHLY, "2026-03", ReportScope.CONTRACT, ""),
        (ReportKind.MONTHLY, "2026-03", ReportScope.TEAM, "service-desk"),
    ],
)
def test_a_stored_report_verifies_from_its_downloads(client, world, tmp_path, kind, label, scope, key):
    play_week(world, later_events=True)
    stored = generate_report(ReportRequest(world.contract, kind, label, scope, key))
    client.force_login(world.people["customer-manager"])
    files = download_from_the_page(client, stored, tmp_path)
    assert files["report.json"].read_text() == stored.body
    assert verify(files) == (0, "MATCH")


@pytest.mark.django_db
def test_a_daily_report_counts_something_and_its_figures_are_the_kernels(client, world, tmp_path):
    play_week(world)
    stored = generate_report(
        ReportRequest(world.contract, ReportKind.DAILY, "2026-03-02", ReportScope.SERVICE, "sap-erp")
    )
    client.force_login(world.people["analyst"])
    files = download_from_the_page(client, stored, tmp_path)
    out = io.StringIO()
    with redirect_stdout(out):
        code = report_command.main(
            [
                "--contract",
                str(files["contract.yaml"]),
                "--events",
                str(files["events.jsonl"]),
                "--period",
                "2026-03-02",
            ]
        )
    assert code == 0 and out.getvalue() == stored.body
    response = next(
        measure for measure in json.loads(stored.body)["measures"] if measure["id"] == "response-compliance"
    )
    assert (response["numerator"], response["denominator"]) == (1, 2)  # Monday's SAP tickets: 10 minutes, and an hour


@pytest.mark.django_db
def test_a_daily_report_of_the_spring_change_day_verifies(client, world, tmp_path):
    # 29 March 2026 is 23 hours long in Berlin; a ticket answered at 23:30 CEST belongs to it.
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sso"],
        title="Login loops",
        impact="high",
        urgency="high",
        at=utc(2026, 3, 29, 20, 0),
    )
    actions.reply(ticket, actor=world.people["agent"], body="Looking.", at=utc(2026, 3, 29, 21, 30))
    stored = generate_report(ReportRequest(world.contract, ReportKind.DAILY, "2026-03-29"))
    assert (stored.period_end - stored.period_start) == datetime.timedelta(hours=23)
    assert '"to": "2026-03-29T22:00:00Z"' in stored.body
    client.force_login(world.people["customer-manager"])
    assert verify(download_from_the_page(client, stored, tmp_path)) == (0, "MATCH")


@pytest.mark.django_db
def test_a_scoped_report_does_not_verify_against_the_whole_contracts_log(client, world, tmp_path):
    play_week(world)
    team = generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK, ReportScope.TEAM, "app-support-cn"))
    whole = generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))
    client.force_login(world.people["customer-manager"])
    (tmp_path / "team").mkdir()
    (tmp_path / "whole").mkdir()
    team_files = download_from_the_page(client, team, tmp_path / "team")
    whole_files = download_from_the_page(client, whole, tmp_path / "whole")
    code, verdict = verify(team_files, events=whole_files["events.jsonl"])
    assert code == 1 and "digest.events_sha256" in verdict and "measures[0].denominator" in verdict
