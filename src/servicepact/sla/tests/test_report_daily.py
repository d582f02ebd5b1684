"""Daily reports: a local day of the reporting time zone is a period like a week or a month, without credits.

The hand-checked March log (reports/README.md) against the reference contract, reported in Europe/Berlin.
"""

import json

from servicepact.sla.commands import report as report_command
from servicepact.sla.events import parse_event_log
from servicepact.sla.periods import parse_period
from servicepact.sla.report import build_report
from servicepact.sla.tests.march_log import CONTRACT_PATH, EVENTS_PATH


def report_of(contract, contract_bytes, events, label: str) -> dict:
    return build_report(contract, contract_bytes, events, parse_period(label, contract.reporting_timezone))


def figures(report: dict) -> dict[str, tuple[int | None, int | None]]:
    return {measure["id"]: (measure["numerator"], measure["denominator"]) for measure in report["measures"]}


def run_report(capsys, *argv: str) -> tuple[int, str, str]:
    code = report_command.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_days_report_counts_the_clocks_stopped_that_day_and_has_no_credits(contract, contract_bytes, events):
    report = report_of(contract, contract_bytes, events, "2026-03-03")
    assert (report["period"], report["from"], report["to"]) == (
        "2026-03-03",
        "2026-03-02T23:00:00Z",
        "2026-03-03T23:00:00Z",
    )
    # T-2 alone: answered after 20 minutes and resolved after 5 hours on a P1, routed to application support
    assert figures(report) == {
        "resolution-compliance": (0, 1),
        "response-compliance": (0, 1),
        "first-contact-resolution": (0, 1),
    }
    assert "credits" not in report
    assert list(report)[:9] == [
        "contract",
        "version",
        "period",
        "from",
        "to",
        "measures",
        "open",
        "open_breached",
        "digest",
    ]


def test_an_event_at_the_days_end_belongs_to_the_next_day(contract, contract_bytes, events):
    # T-7 is resolved, and T-8 created, exactly at the first instant of 1 April in Berlin.
    last_of_march = report_of(contract, contract_bytes, events, "2026-03-31")
    assert last_of_march["to"] == "2026-03-31T22:00:00Z"
    assert (last_of_march["open"], last_of_march["open_breached"]) == (3, 1)  # T-5 (breached), T-6, T-7
    assert figures(last_of_march)["resolution-compliance"] == (0, 0)
    assert last_of_march["measures"][0]["value"] is None and last_of_march["measures"][0]["met"] is None

    first_of_april = report_of(contract, contract_bytes, events, "2026-04-01")
    assert figures(first_of_april)["resolution-compliance"] == (1, 1)  # T-7: 30 minutes on a 4-hour target
    assert first_of_april["open"] == 3  # T-5, T-6 and the new T-8


def test_the_days_of_march_add_up_to_the_month(contract, contract_bytes, events):
    month = report_of(contract, contract_bytes, events, "2026-03")
    totals = {measure_id: [0, 0] for measure_id in figures(month)}
    for day in range(1, 32):
        for measure_id, (numerator, denominator) in figures(
            report_of(contract, contract_bytes, events, f"2026-03-{day:02d}")
        ).items():
            totals[measure_id][0] += numerator
            totals[measure_id][1] += denominator
    assert {measure_id: tuple(pair) for measure_id, pair in totals.items()} == figures(month)


def spring_and_autumn_log(contract):
    """P1 tickets on sap-erp resolved around the ends of Berlin's two change days of 2026."""
    lines = []
    for ticket, created, resolved in [
        ("S-first", "2026-03-28T23:00:00Z", "2026-03-28T23:30:00Z"),  # 00:30 CET on the 29th
        ("S-last", "2026-03-29T21:00:00Z", "2026-03-29T21:59:59Z"),  # 23:59:59 CEST on the 29th
        ("S-after", "2026-03-29T21:30:00Z", "2026-03-29T22:00:00Z"),  # 00:00 CEST on the 30th
        ("A-before", "2026-10-24T21:00:00Z", "2026-10-24T21:59:59Z"),  # 23:59:59 CEST on the 24th
        ("A-repeated", "2026-10-25T00:10:00Z", "2026-10-25T00:40:00Z"),  # 02:40 CET, the hour that came twice
        ("A-last", "2026-10-25T22:00:00Z", "2026-10-25T22:59:59Z"),  # 23:59:59 CET on the 25th
    ]:
        lines.append(
            json.dumps({"ticket": ticket, "at": created, "type": "created", "priority": "P1", "service": "sap-erp"})
        )
        lines.append(json.dumps({"ticket": ticket, "at": resolved, "type": "status", "status": "resolved"}))
    return parse_event_log(lines, contract, "EVENTS")


def test_the_spring_change_day_holds_its_23_hours(contract, contract_bytes):
    report = report_of(contract, contract_bytes, spring_and_autumn_log(contract), "2026-03-29")
    assert (report["from"], report["to"]) == ("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z")
    assert figures(report)["resolution-compliance"] == (2, 2)  # S-first and S-last, not S-after
    assert report["open"] == 1  # S-after, resolved at the first instant of the 30th


def test_the_autumn_change_day_holds_its_25_hours(contract, contract_bytes):
    report = report_of(contract, contract_bytes, spring_and_autumn_log(contract), "2026-10-25")
    assert (report["from"], report["to"]) == ("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z")
    assert figures(report)["resolution-compliance"] == (2, 2)  # A-repeated and A-last, not A-before


def test_the_command_prints_a_days_report_and_verifies_it(capsys, tmp_path):
    base = ("--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH))
    code, out, err = run_report(capsys, *base, "--period", "2026-03-05")
    assert code == 0, err
    printed = json.loads(out)
    assert printed["period"] == "2026-03-05" and figures(printed)["first-contact-resolution"] == (0, 1)  # T-4 reopened

    saved = tmp_path / "daily.json"
    saved.write_text(out)
    code, out, _ = run_report(capsys, "verify", str(saved), *base)
    assert (code, out.strip()) == (0, "MATCH")

    printed["to"] = "2026-03-06T00:00:00Z"
    printed["measures"][0]["numerator"] = 0
    saved.write_text(json.dumps(printed))
    code, out, _ = run_report(capsys, "verify", str(saved), *base)
    assert code == 1
    assert 'to: report "2026-03-06T00:00:00Z", recomputed "2026-03-05T23:00:00Z"' in out
    assert "measures[0].numerator: report 0, recomputed 1" in out


def test_the_text_form_of_a_day_has_no_credits(capsys):
    code, out, _ = run_report(
        capsys,
        "--contract",
        str(CONTRACT_PATH),
        "--events",
        str(EVENTS_PATH),
        "--period",
        "2026-03-03",
        "--format",
        "text",
    )
    assert code == 0
    assert "period 2026-03-03" in out and "credits" not in out.lower()


def test_an_impossible_day_is_refused_by_report_and_verify(capsys, tmp_path):
    base = ("--contract", str(CONTRACT_PATH), "--events", str(EVENTS_PATH))
    code, out, err = run_report(capsys, *base, "--period", "2026-02-30")
    assert (code, out) == (2, "")
    assert err.strip() == "period '2026-02-30': 2026-02 has days 01 to 28, not 30"

    claimed = tmp_path / "claimed.json"
    claimed.write_text(json.dumps({"period": "2026-02-30"}))
    code, out, err = run_report(capsys, "verify", str(claimed), *base)
    assert (code, out) == (2, "")
    assert err.strip() == f"{claimed}: period '2026-02-30': 2026-02 has days 01 to 28, not 30"
