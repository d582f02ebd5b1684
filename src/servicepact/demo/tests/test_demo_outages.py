"""The demo's availability: its contract carries the availability terms, and its history's outages make one
month miss SAP ERP's target, which the stored monthly report shows with its credit."""

import json
from datetime import UTC, datetime

from servicepact.availability.models import Outage
from servicepact.demo.outages import record_outages
from servicepact.demo.scenario import load_scenario
from servicepact.major_incidents.models import MajorIncident, MajorStatus
from servicepact.slm.reporting.generation import ReportRequest, generate_report


def test_outages_of_the_history_and_the_month_that_misses_its_target(db):
    start, end = datetime(2026, 3, 10, 6, tzinfo=UTC), datetime(2026, 6, 3, 8, tzinfo=UTC)
    scenario = load_scenario(signed_at=datetime(2025, 12, 18, tzinfo=UTC))
    result = record_outages(scenario, start, end, seed=7)
    assert result.missed_month == "2026-05" and result.planned >= 2 and result.unplanned >= 6
    assert not Outage.objects.filter(start__lt=start).exists() and not Outage.objects.filter(end__gt=end).exists()
    report = json.loads(generate_report(ReportRequest(scenario.contract, "monthly", "2026-05")).body)
    erp = next(measure for measure in report["measures"] if measure["id"] == "erp-availability")
    assert erp["met"] is False and erp["value"] < 0.99
    assert {"measure": "erp-availability", "percent": 10} in report["credits"]["applied"]
    # The long outage of May was run as a major incident, which recorded the outage with its number.
    major = MajorIncident.objects.get()
    assert major.status == MajorStatus.REVIEWED and major.started_at.strftime("%Y-%m") == "2026-05"
    assert Outage.objects.filter(reference=major.number, service__key="sap-erp", end=major.resolved_at).exists()
    april = json.loads(generate_report(ReportRequest(scenario.contract, "monthly", "2026-04")).body)
    assert next(m for m in april["measures"] if m["id"] == "erp-availability")["value"] > 0.99
