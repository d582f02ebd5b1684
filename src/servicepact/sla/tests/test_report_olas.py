"""Reports with OLA clocks, a vendor and a duration target (reports/globex-olas.yaml)."""

from pathlib import Path

from servicepact.sla.contract import load_contract
from servicepact.sla.events import parse_event_log
from servicepact.sla.periods import parse_period
from servicepact.sla.report import build_report, report_details

REPORTS = Path(__file__).parent / "reports"
CONTRACT_BYTES = (REPORTS / "globex-olas.yaml").read_bytes()
CONTRACT = load_contract(CONTRACT_BYTES, "globex-olas.yaml")
# V-1: service desk 30m, app-support 1h (OLA 2h: met), hw-vendor 1h30m (underpinning 1h: breached)
# V-2: service desk 30m, app-support 30m
EVENTS = parse_event_log((REPORTS / "vendors-2026-03.jsonl").read_bytes().splitlines(), CONTRACT, "EVENTS")
MARCH = parse_period("2026-03", CONTRACT.reporting_timezone)


def measure(report, measure_id):
    return next(item for item in report["measures"] if item["id"] == measure_id)


def test_ola_met_ratio_counts_every_team_clock():
    report = build_report(CONTRACT, CONTRACT_BYTES, EVENTS, MARCH)
    ola = measure(report, "ola-compliance")
    assert (ola["value"], ola["numerator"], ola["denominator"], ola["met"]) == (0.6667, 2, 3, False)
    assert report["by_team"]["ola-compliance"] == {
        "app-support": {"value": 1, "numerator": 2, "denominator": 2},
        "hw-vendor": {"value": 0, "numerator": 0, "denominator": 1},
    }


def test_vendor_time_share_attributes_running_time_to_the_holding_team():
    report = build_report(CONTRACT, CONTRACT_BYTES, EVENTS, MARCH)
    share = measure(report, "vendor-share")
    assert (share["numerator"], share["denominator"], share["value"], share["met"]) == (5400, 14400, 0.375, False)
    assert {team: figures["numerator"] for team, figures in report["by_team"]["vendor-share"].items()} == {
        "app-support": 5400,
        "hw-vendor": 5400,
        "service-desk": 3600,
    }


def test_duration_targets_and_baselines_are_in_seconds():
    mean = measure(build_report(CONTRACT, CONTRACT_BYTES, EVENTS, MARCH), "mean-resolution")
    assert mean == {
        "id": "mean-resolution",
        "measure": "mean_resolution_business_s",
        "value": 7200,
        "numerator": 14400,
        "denominator": 2,
        "target": "<= 9000",
        "met": True,
        "baseline": 10800,
    }


def test_details_put_a_ticket_in_the_ola_numerator_only_when_all_its_ola_clocks_were_met():
    details = report_details(CONTRACT, EVENTS, MARCH)
    assert details["ola-compliance"]["numerator_tickets"] == ["V-2"]
    assert details["ola-compliance"]["denominator_tickets"] == ["V-1", "V-2"]
    assert details["vendor-share"]["numerator_tickets"] == ["V-1"]
