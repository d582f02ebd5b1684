"""Reports end to end: the reference contract and a hand-checked event log (see reports/README.md)."""

import hashlib
import io
import json
import sys

from servicepact.sla.commands import report as report_command
from servicepact.sla.periods import parse_period
from servicepact.sla.report import build_report, matters_to, report_details
from servicepact.sla.tests.march_log import CONTRACT_PATH, EVENTS_PATH


def march_report(contract, contract_bytes, events, **options):
    return build_report(
        contract, contract_bytes, events, parse_period("2026-03", contract.reporting_timezone), **options
    )


def test_monthly_report_matches_the_hand_computed_figures(contract, contract_bytes, events):
    report = march_report(contract, contract_bytes, events)
    assert list(report)[:10] == [
        "contract",
        "version",
        "period",
        "from",
        "to",
        "measures",
        "open",
        "open_breached",
        "credits",
        "digest",
    ]
    assert (report["contract"], report["version"], report["period"]) == ("globex-ito", 1, "2026-03")
    assert (report["from"], report["to"]) == ("2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z")
    assert report["measures"] == [
        {
            "id": "resolution-compliance",
            "measure": "resolution_met_ratio",
            "value": 0.6,
            "numerator": 3,
            "denominator": 5,
            "target": ">= 0.95",
            "met": False,
            "baseline": 0.9,
        },
        {
            "id": "response-compliance",
            "measure": "response_met_ratio",
            "value": 0.8,
            "numerator": 4,
            "denominator": 5,
            "target": ">= 0.98",
            "met": False,
            "baseline": None,
        },
        {
            "id": "first-contact-resolution",
            "measure": "first_contact_resolution_ratio",
            "value": 0.5,
            "numerator": 2,
            "denominator": 4,
            "target": ">= 0.6",
            "met": False,
            "baseline": 0.52,
        },
    ]
    assert (report["open"], report["open_breached"]) == (3, 1)
    assert report["excluded"] == [
        {"measure": "first-contact-resolution", "rule": "category=hardware-onsite", "tickets": ["T-3"]}
    ]


def test_monthly_credits_take_the_largest_rule_per_measure(contract, contract_bytes, events):
    credits = march_report(contract, contract_bytes, events)["credits"]
    assert [(rule["measure"], rule["credit_percent"]) for rule in credits["rules"]] == [
        ("resolution-compliance", 5),
        ("resolution-compliance", 10),
        ("response-compliance", 2),
    ]
    assert credits["applied"] == [
        {"measure": "resolution-compliance", "percent": 10},
        {"measure": "response-compliance", "percent": 2},
    ]
    assert (credits["total_percent"], credits["amount"], credits["currency"]) == (12, "14400.00", "EUR")


def test_weekly_report_has_no_credits_and_its_own_window(contract, contract_bytes, events):
    report = build_report(contract, contract_bytes, events, parse_period("2026-W10", "Europe/Berlin"))
    assert "credits" not in report
    assert (report["from"], report["to"]) == ("2026-03-01T23:00:00Z", "2026-03-08T23:00:00Z")
    values = {measure["id"]: (measure["numerator"], measure["denominator"]) for measure in report["measures"]}
    assert values == {
        "resolution-compliance": (3, 4),
        "response-compliance": (3, 4),
        "first-contact-resolution": (1, 3),
    }
    assert report["open"] == 0


def test_a_period_with_no_tickets_has_null_values_and_no_credit(contract, contract_bytes, events):
    report = build_report(contract, contract_bytes, events, parse_period("2025-06", "Europe/Berlin"))
    assert all(measure["value"] is None and measure["met"] is None for measure in report["measures"])
    assert report["credits"]["rules"] == [] and report["credits"]["amount"] == "0.00"


def test_the_event_at_end_belongs_to_the_next_period(contract, contract_bytes, events):
    april = build_report(contract, contract_bytes, events, parse_period("2026-04", "Europe/Berlin"))
    resolution = april["measures"][0]
    # T-7 resolved at April's first instant, 30 minutes after it was created; T-5 and T-6 never stop
    assert (resolution["numerator"], resolution["denominator"]) == (1, 1)
    assert april["open"] == 3  # T-5, T-6 and T-8


def test_digest_hashes_the_contract_bytes_and_the_whole_canonical_log(contract, contract_bytes, events):
    report = march_report(contract, contract_bytes, events)
    assert report["digest"]["algorithm"] == "sha256"
    assert report["digest"]["contract_sha256"] == hashlib.sha256(contract_bytes).hexdigest()
    later_only = dict(events)
    del later_only["T-8"]  # an April ticket changes no March figure, but it is part of the log given
    other = march_report(contract, contract_bytes, later_only)
    assert other["measures"] == report["measures"]
    assert other["digest"]["events_sha256"] != report["digest"]["events_sha256"]


def test_review_measures_come_as_extra_measures(contract, contract_bytes, events):
    report = march_report(
        contract,
        contract_bytes,
        events,
        extra_measures=[
            "reopen_ratio",
            "backlog",
            "backlog_age_p90_s",
            "mean_resolution_business_s",
            "p90_resolution_business_s",
            "vendor_time_share",
            "satisfaction_score",
        ],
        scores={"T-1": 5, "T-2": 2, "T-9": 1},
    )
    extra = {measure["id"]: measure for measure in report["extra_measures"]}
    assert extra["reopen_ratio"]["value"] == 0.2  # T-4 of 5 resolved
    assert extra["backlog"]["value"] == 3
    # open at END: T-5 (26h old), T-6 (1h), T-7 (30m): nearest rank ceil(2.7) = 3rd
    assert extra["backlog_age_p90_s"]["value"] == 26 * 3600
    # resolution elapsed: T-1 2h, T-2 5h, T-3 1h, T-4 1h30m, T-10 24h
    assert extra["mean_resolution_business_s"]["numerator"] == (2 + 5 + 1 + 1.5 + 24) * 3600
    assert extra["p90_resolution_business_s"]["value"] == 24 * 3600
    assert extra["satisfaction_score"]["value"] == 3.5
    assert extra["satisfaction_score"]["target"] is None
    share = report["by_team"]["vendor_time_share"]
    # T-2 ran 10:00-15:00: service-desk until 10:30, app-support after
    assert share["service-desk"]["numerator"] == 1800
    assert share["app-support"]["numerator"] == 4 * 3600 + 1800


def test_report_details_list_the_tickets_behind_each_figure(contract, events):
    details = report_details(contract, events, parse_period("2026-03", "Europe/Berlin"))
    fcr = details["first-contact-resolution"]
    assert fcr["numerator_tickets"] == ["T-1", "T-10"]
    assert fcr["denominator_tickets"] == ["T-1", "T-10", "T-2", "T-4"]
    assert fcr["excluded"] == {"category=hardware-onsite": ["T-3"]}
    assert details["resolution-compliance"]["numerator_tickets"] == ["T-1", "T-3", "T-4"]


def run_report(capsys, *argv):
    code = report_command.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_prints_the_report_as_json(capsys):
    code, out, err = run_report(
        capsys, "--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH), "--period", "2026-03"
    )
    assert code == 0, err
    assert json.loads(out)["measures"][0]["value"] == 0.6


def test_cli_text_format_shows_measures_and_credits(capsys):
    code, out, _ = run_report(
        capsys,
        "--contract",
        str(CONTRACT_PATH),
        "--events",
        str(EVENTS_PATH),
        "--period",
        "2026-03",
        "--format",
        "text",
    )
    assert code == 0
    assert "resolution-compliance" in out and "MISSED" in out
    assert "14400.00 EUR" in out


def test_cli_refuses_a_bad_period(capsys):
    code, out, err = run_report(
        capsys, "--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH), "--period", "2026-13"
    )
    assert code == 2 and out == ""
    assert "'2026-13'" in err and "01 to 12" in err


def test_cli_refuses_a_bad_contract_with_its_position(capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(CONTRACT_PATH.read_text().replace("within: 15m", "within: 1d"))
    code, out, err = run_report(capsys, "--contract", str(broken), "--events", str(EVENTS_PATH), "--period", "2026-03")
    assert code == 2 and out == ""
    assert err.startswith(f"{broken}:")


def test_cli_refuses_bad_events_with_their_lines(capsys, tmp_path):
    log = tmp_path / "bad.jsonl"
    log.write_text(
        '{"ticket": "X", "at": "2026-03-02T10:00:00Z", "type": "created", "priority": "P9", "service": "sap-erp"}\n'
        '{"ticket": "Y", "at": "2026-03-02T10:00:00", "type": "created", "priority": "P1", "service": "sap-erp"}\n'
    )
    code, out, err = run_report(capsys, "--contract", str(CONTRACT_PATH), "--events", str(log), "--period", "2026-03")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert ":1: " in lines[0] and ":2: " in lines[1]


def test_verify_matches_a_faithful_report_and_names_changed_fields(capsys, tmp_path):
    code, out, _ = run_report(
        capsys, "--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH), "--period", "2026-03"
    )
    saved = tmp_path / "report.json"
    saved.write_text(out)
    code, out, _ = run_report(
        capsys, "verify", str(saved), "--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH)
    )
    assert (code, out.strip()) == (0, "MATCH")

    tampered = json.loads(saved.read_text())
    tampered["measures"][1]["value"] = 0.98
    tampered["credits"]["amount"] = "12000.00"
    saved.write_text(json.dumps(tampered))
    code, out, _ = run_report(
        capsys, "verify", str(saved), "--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH)
    )
    assert code == 1
    assert "measures[1].value: report 0.98, recomputed 0.8" in out
    assert 'credits.amount: report "12000.00", recomputed "14400.00"' in out


def test_verify_notices_other_events(capsys, tmp_path):
    code, out, _ = run_report(
        capsys, "--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH), "--period", "2026-03"
    )
    saved = tmp_path / "report.json"
    saved.write_text(out)
    fewer = tmp_path / "fewer.jsonl"
    fewer.write_text("".join(line for line in EVENTS_PATH.read_text().splitlines(keepends=True) if '"T-9"' not in line))
    code, out, _ = run_report(capsys, "verify", str(saved), "--contract", str(CONTRACT_PATH), "--events", str(fewer))
    assert code == 1
    assert "digest.events_sha256" in out


def test_a_ticket_resolved_at_end_is_open_and_one_created_at_end_is_absent(contract, contract_bytes, events):
    march = parse_period("2026-03", "Europe/Berlin")
    only_t7 = build_report(contract, contract_bytes, {"T-7": events["T-7"]}, march)
    assert (only_t7["open"], only_t7["measures"][0]["denominator"]) == (1, 0)
    only_t8 = build_report(contract, contract_bytes, {"T-8": events["T-8"]}, march)
    assert only_t8["open"] == 0


def test_verify_recomputes_review_measures_and_scores(capsys, tmp_path):
    scores = tmp_path / "scores.json"
    scores.write_text('{"T-1": 4.5, "T-2": 3}')
    base = ["--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH)]
    code, out, _ = run_report(capsys, *base, "--period", "2026-03", "--review", "--scores", str(scores))
    assert code == 0
    saved = tmp_path / "report.json"
    saved.write_text(out)
    assert json.loads(out)["extra_measures"][-2]["value"] == 3.75  # satisfaction_score, sorted by name
    code, out, _ = run_report(capsys, "verify", str(saved), *base, "--scores", str(scores))
    assert (code, out.strip()) == (0, "MATCH")
    code, out, _ = run_report(capsys, "verify", str(saved), *base)
    assert code == 1 and "extra_measures[6].value: report 3.75, recomputed null" in out


def test_bad_scores_and_unreadable_files_are_named(capsys, tmp_path):
    scores = tmp_path / "scores.json"
    scores.write_text('{"T-1": "good"}')
    base = ["--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH), "--period", "2026-03"]
    code, _, err = run_report(capsys, *base, "--scores", str(scores))
    assert code == 2 and "scores.json: expected an object mapping ticket ids to numbers" in err
    code, _, err = run_report(
        capsys, "--contract", str(tmp_path / "none.yaml"), "--events", str(EVENTS_PATH), "--period", "2026-03"
    )
    assert code == 2 and "cannot read contract file" in err and "none.yaml" in err


def test_events_from_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(EVENTS_PATH.read_bytes())))
    code, out, _ = run_report(capsys, "--contract", str(CONTRACT_PATH), "--events", "-", "--period", "2026-03")
    assert code == 0 and json.loads(out)["open"] == 3


def test_a_log_narrowed_to_the_tickets_that_matter_gives_the_same_report(contract, contract_bytes, events):
    for label in ("2026-03", "2026-W11", "2026-03-17"):
        period = parse_period(label, contract.reporting_timezone)
        narrowed = {ticket: log for ticket, log in events.items() if matters_to(log, period)}
        assert len(narrowed) < len(events)
        whole, part = (build_report(contract, contract_bytes, log, period) for log in (events, narrowed))
        assert whole.pop("digest") != part.pop("digest")
        assert whole == part
