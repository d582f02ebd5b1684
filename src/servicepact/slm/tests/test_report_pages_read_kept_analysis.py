"""Report pages, drill-downs and downloads read the analysis kept when the report was stored: they never
recompute the period from its log inside the request, and their query counts are baselines
(report_query_counts.json beside this file), so an N+1 fails here."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicepact.slm.models import ReportKind
from servicepact.slm.reporting import analysis as analysis_module
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import WEEK, play_week

BASELINES = json.loads((Path(__file__).parent / "report_query_counts.json").read_text())


def pages(report) -> dict[str, str]:
    return {
        "report": reverse("slm:report", args=[report.pk]),
        "report_drilldown": reverse("slm:report_drilldown", args=[report.pk, "resolution-compliance"]),
        "report_csv": reverse("slm:report_csv", args=[report.pk]),
        "report_xlsx": reverse("slm:report_xlsx", args=[report.pk]),
    }


@pytest.fixture
def weekly_report(world):
    play_week(world)
    return generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))


def refuse_recomputing(*args, **kwargs):
    raise AssertionError("a report page recomputed the period from its log")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["report", "report_drilldown", "report_csv", "report_xlsx"])
def test_report_pages_read_the_kept_analysis_within_their_query_baseline(
    client, world, weekly_report, monkeypatch, name
):
    monkeypatch.setattr(analysis_module, "stored_report_inputs", refuse_recomputing)
    monkeypatch.setattr(analysis_module, "compute_analysis", refuse_recomputing)
    client.force_login(world.people["customer-manager"])
    url = pages(weekly_report)[name]
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    assert name in BASELINES, f"no baseline for {name} in report_query_counts.json (it takes {len(queries)})"
    assert len(queries) == BASELINES[name], f"{name} takes {len(queries)} queries; its baseline is {BASELINES[name]}"


@pytest.mark.django_db
def test_a_report_without_a_kept_analysis_gets_one_once(client, world, weekly_report, monkeypatch):
    from django.core.files.storage import default_storage

    default_storage.delete(analysis_module._kept_path(weekly_report))
    client.force_login(world.people["customer-manager"])
    assert client.get(pages(weekly_report)["report"]).status_code == 200
    monkeypatch.setattr(analysis_module, "compute_analysis", refuse_recomputing)
    assert client.get(pages(weekly_report)["report_drilldown"]).status_code == 200
