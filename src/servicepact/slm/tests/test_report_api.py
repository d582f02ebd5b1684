"""The reports API: tenancy, the stored text verified by the kernel, restating; and the backtest page."""

import io
import re
from contextlib import redirect_stdout

import pytest
from django.urls import reverse

from servicepact.sla.commands import report as report_command
from servicepact.slm.models import BacktestRun, ReportKind, StoredReport
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tasks_backtest import run_backtest
from servicepact.slm.tests.report_world import WEEK, play_week


@pytest.fixture
def weekly_report(world) -> StoredReport:
    play_week(world)
    return generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))


@pytest.mark.django_db
def test_a_report_downloaded_from_the_api_verifies_with_the_kernel(client, world, weekly_report, tmp_path):
    client.force_login(world.people["customer-manager"])
    files = {
        "report.json": client.get(f"/api/reports/{weekly_report.pk}").content,
        "contract.yaml": client.get(reverse("slm:report_contract", args=[weekly_report.pk])).content,
        "events.jsonl": client.get(reverse("slm:report_events", args=[weekly_report.pk])).content,
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    out = io.StringIO()
    with redirect_stdout(out):
        code = report_command.main(
            [
                "verify",
                str(tmp_path / "report.json"),
                "--contract",
                str(tmp_path / "contract.yaml"),
                "--events",
                str(tmp_path / "events.jsonl"),
            ]
        )
    assert (code, out.getvalue().strip()) == (0, "MATCH")


@pytest.mark.django_db
def test_the_list_holds_only_the_viewers_contracts(client, world, weekly_report):
    client.force_login(world.people["analyst"])
    listed = client.get("/api/reports").json()
    assert [(item["contract"], item["period"], item["scope"]) for item in listed] == [("globex-ito", WEEK, "contract")]
    client.force_login(world.people["other-manager"])
    assert client.get("/api/reports").json() == []
    assert client.get(f"/api/reports/{weekly_report.pk}").status_code == 404


@pytest.mark.django_db
def test_restating_over_the_api_refuses_an_unchanged_report_and_a_customer(client, world, weekly_report):
    client.force_login(world.people["customer-manager"])
    assert (
        client.post(
            f"/api/reports/{weekly_report.pk}/restate", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(world.people["analyst"])
    response = client.post(f"/api/reports/{weekly_report.pk}/restate", {"reason": "x"}, content_type="application/json")
    assert response.status_code == 409 and StoredReport.objects.count() == 1


@pytest.mark.django_db
def test_the_backtest_page_compares_a_draft_month_by_month(client, world):
    play_week(world)
    draft = world.version.source.replace("version: 1\n", "version: 2\n").replace(
        "P2: {within: 8h,  calendar: service}", "P2: {within: 16h, calendar: service}"
    )
    client.force_login(world.people["analyst"])
    response = client.post(
        reverse("slm:backtest", args=[world.contract.slug]), {"draft": draft, "first": "2026-03", "last": "2026-03"}
    )
    run = BacktestRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    run_backtest.call(run.pk)  # the worker's turn
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'id="result"' in page
    # the late SAP ticket meets a 16-hour target
    assert re.search(
        r'<td>resolution</td><td>2026-03</td>\s*<td class="state-breached">breached</td>\s*<td class="state-met">met</td>',
        page,
    )


@pytest.mark.django_db
def test_the_backtest_page_shows_draft_errors_with_line_and_column(client, world):
    client.force_login(world.people["analyst"])
    draft = world.version.source.replace("within: 15m", "within: 1d", 1)
    response = client.post(
        reverse("slm:backtest", args=[world.contract.slug]), {"draft": draft, "first": "2026-03", "last": "2026-03"}
    )
    page = response.content.decode()
    assert response.status_code == 422 and 'id="problems"' in page
    line = next(number for number, text in enumerate(draft.splitlines(), start=1) if "1d" in text)
    assert f"draft.yaml:{line}:" in page


@pytest.mark.django_db
def test_the_backtest_form_names_a_bad_month(client, world):
    client.force_login(world.people["analyst"])
    response = client.post(
        reverse("slm:backtest", args=[world.contract.slug]), {"draft": "x", "first": "2026/03", "last": "2026-03"}
    )
    assert response.status_code == 422 and "Give a month like 2026-01." in response.content.decode()
