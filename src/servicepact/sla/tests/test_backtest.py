"""Backtests: a draft contract with looser P1 targets against the reference contract."""

import json
from pathlib import Path

import pytest

from servicepact.sla.backtest import clock_flips, run_backtest, side_by_side
from servicepact.sla.commands import backtest as backtest_command
from servicepact.sla.contract import load_contract
from servicepact.sla.events import parse_event_log
from servicepact.sla.periods import month_range
from servicepact.sla.versions import ContractVersions

HERE = Path(__file__).parent
CONTRACT_PATH = HERE.parent.parent / "contracts" / "examples" / "globex-ito.yaml"
EVENTS_PATH = HERE / "reports" / "march-2026.jsonl"


def draft_text() -> str:
    text = CONTRACT_PATH.read_text()
    for old, new in [
        ("version: 1", "version: 2"),
        ("P1: {within: 15m, calendar: always}", "P1: {within: 30m, calendar: always}"),
        ("P1: {within: 4h,  calendar: always}", "P1: {within: 6h,  calendar: always}"),
    ]:
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def draft_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("contracts") / "globex-ito-v2.yaml"
    path.write_text(draft_text())
    return path


@pytest.fixture(scope="module")
def result(draft_path):
    baseline_bytes, draft_bytes = CONTRACT_PATH.read_bytes(), draft_path.read_bytes()
    baseline, draft = load_contract(baseline_bytes, "current.yaml"), load_contract(draft_bytes, "draft.yaml")
    events = parse_event_log(EVENTS_PATH.read_bytes().splitlines(), baseline, "EVENTS")
    months = month_range("2026-02", "2026-03", baseline.reporting_timezone)
    return run_backtest(
        ContractVersions.of([draft], [draft_bytes]), ContractVersions.of([baseline], [baseline_bytes]), events, months
    )


def test_every_month_is_reported_under_both_contracts(result):
    assert [month["period"] for month in result["months"]] == ["2026-02", "2026-03"]
    assert (result["baseline"]["version"], result["draft"]["version"]) == (1, 2)
    assert result["baseline"]["digest"]["events_sha256"] == result["draft"]["digest"]["events_sha256"]
    assert result["baseline"]["digest"]["contract_sha256"] != result["draft"]["digest"]["contract_sha256"]


def test_measures_side_by_side(result):
    march = result["months"][1]
    rows = {row["id"]: (row["baseline"]["value"], row["draft"]["value"]) for row in march["measures"]}
    assert rows == {
        "resolution-compliance": (0.6, 0.8),
        "response-compliance": (0.8, 1),
        "first-contact-resolution": (0.5, 0.5),
    }
    assert march["open"] == {"baseline": 3, "draft": 3}


def test_tickets_that_flip_are_listed_per_clock(result):
    february, march = result["months"]
    assert february["flips"] == []
    assert march["flips"] == [
        {"ticket": "T-2", "clock": "resolution", "baseline": "breached", "draft": "met"},
        {"ticket": "T-2", "clock": "response", "baseline": "breached", "draft": "met"},
    ]
    assert (result["totals"]["flips_to_met"], result["totals"]["flips_to_breached"]) == (2, 0)


def test_credits_under_both_contracts(result):
    march = result["months"][1]
    assert march["credits"]["baseline"]["amount"] == "14400.00"
    assert march["credits"]["draft"]["amount"] == "12000.00"
    assert result["totals"]["baseline_credit_amount"] == "14400.00"
    assert result["totals"]["draft_credit_amount"] == "12000.00"


def test_side_by_side_keeps_measures_only_one_contract_has():
    rows = side_by_side([{"id": "a", "measure": "x"}], [{"id": "b", "measure": "y"}])
    assert [(row["id"], row["baseline"] is None, row["draft"] is None) for row in rows] == [
        ("a", False, True),
        ("b", True, False),
    ]


def test_clock_flips_ignore_clocks_counted_under_one_contract_only():
    flips = clock_flips(
        {"T": {"response": "met", "resolution": "met"}}, {"T": {"resolution": "breached"}, "U": {"response": "met"}}
    )
    assert flips == [{"ticket": "T", "clock": "resolution", "baseline": "met", "draft": "breached"}]


def test_cli_json_and_text(draft_path, capsys):
    argv = [
        "--contract",
        str(draft_path),
        "--baseline",
        str(CONTRACT_PATH),
        "--events",
        str(EVENTS_PATH),
        "--from",
        "2026-03",
        "--to",
        "2026-03",
    ]
    assert backtest_command.main(argv) == 0
    assert json.loads(capsys.readouterr().out)["months"][0]["flips"][0]["ticket"] == "T-2"
    assert backtest_command.main([*argv, "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "flip T-2 resolution: breached -> met" in out
    assert "credits (draft): 10% = 12000.00 EUR" in out


def test_cli_refuses_a_reversed_range(draft_path, capsys):
    argv = [
        "--contract",
        str(draft_path),
        "--baseline",
        str(CONTRACT_PATH),
        "--events",
        str(EVENTS_PATH),
        "--from",
        "2026-06",
        "--to",
        "2026-01",
    ]
    assert backtest_command.main(argv) == 2
    assert "2026-01 comes before 2026-06" in capsys.readouterr().err
