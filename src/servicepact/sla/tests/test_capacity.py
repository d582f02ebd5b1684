"""Capacity from demand: arrivals, handling times and agents per team and hour of the week (docs/capacity.md)."""

import json
from fractions import Fraction
from pathlib import Path

import pytest

from servicepact.sla.capacity import CapacityError, CapacityOptions, capacity_rows, weekday_occurrences
from servicepact.sla.commands.capacity import main
from servicepact.sla.events import parse_event_log
from servicepact.sla.tests.cases.contracts import REFERENCE_PATH, reference_contract, variant_contract
from servicepact.sla.versions import ContractVersions

JANUARY_MONDAYS = ("2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26")


def log(*events: dict) -> list[bytes]:
    return [json.dumps(event).encode() + b"\n" for event in events]


def created(ticket: str, at: str, *, priority: str = "P1", service: str = "sso", team: str | None = "desk") -> dict:
    event = {"ticket": ticket, "at": at, "type": "created", "priority": priority, "service": service}
    if team:
        event["team"] = team
    return event


def status(ticket: str, at: str, value: str) -> dict:
    return {"ticket": ticket, "at": at, "type": "status", "status": value}


def assigned(ticket: str, at: str, team: str) -> dict:
    return {"ticket": ticket, "at": at, "type": "assigned", "team": team}


def rows_of(lines: list[bytes], contract=None, first="2026-01", last="2026-01", **keywords):
    contract = contract or reference_contract()
    versions = ContractVersions.of([contract])
    events = parse_event_log(lines, versions.vocabulary, "events.jsonl")
    options = keywords.pop("options", CapacityOptions())
    return capacity_rows(contract, events, versions.pin(events), first, last, options, **keywords)


def cell(rows: list[dict], team: str, weekday: int, hour: int) -> dict:
    return next(r for r in rows if (r["team"], r["weekday"], r["hour"]) == (team, weekday, hour))


def mondays_at_0930_berlin() -> list[dict]:
    events = []
    for index, day in enumerate(JANUARY_MONDAYS):
        events += [created(f"T{index}", f"{day}T08:30:00Z"), status(f"T{index}", f"{day}T09:30:00Z", "resolved")]
    return events


def test_one_arrival_every_monday_at_nine_needs_three_agents_and_five_scheduled() -> None:
    rows = rows_of(log(*mondays_at_0930_berlin()))
    assert len(rows) == 168
    row = cell(rows, "desk", 1, 9)
    # 1 arrival an hour of 1 h (1 erlang) answered within P1's 15 min: 2 agents reach 74%, 3 reach 94.5%.
    assert row == {
        "team": "desk",
        "weekday": 1,
        "hour": 9,
        "arrivals_per_hour": 1.0,
        "aht_s": 3600,
        "target_s": 900,
        "agents_required": 3,
        "agents_scheduled": 5,
    }
    others = [r for r in rows if (r["weekday"], r["hour"]) != (1, 9)]
    assert all(r["agents_required"] == 0 and r["arrivals_per_hour"] == 0 and r["aht_s"] is None for r in others)


def test_a_mean_over_the_weeks_of_the_range() -> None:
    # Two of January's four Mondays had an arrival at 09:30 Berlin: half an arrival an hour.
    events = mondays_at_0930_berlin()[:4]
    assert cell(rows_of(log(*events)), "desk", 1, 9)["arrivals_per_hour"] == 0.5


def test_handling_ends_at_reassignment_and_the_next_team_arrives() -> None:
    events = [
        created("T1", "2026-01-05T08:30:00Z"),
        assigned("T1", "2026-01-05T09:00:00Z", "security"),
        status("T1", "2026-01-05T11:00:00Z", "resolved"),
    ]
    rows = rows_of(log(*events))
    assert cell(rows, "desk", 1, 9)["aht_s"] == 1800
    assert cell(rows, "security", 1, 10)["aht_s"] == 7200


def test_handling_is_capped_at_the_resolution_target_and_leaves_out_pauses() -> None:
    capped = [created("T1", "2026-01-05T08:30:00Z"), status("T1", "2026-01-05T18:30:00Z", "resolved")]
    assert cell(rows_of(log(*capped)), "desk", 1, 9)["aht_s"] == 4 * 3600  # P1 resolves within 4h
    paused = [
        created("T2", "2026-01-05T08:30:00Z"),
        status("T2", "2026-01-05T09:00:00Z", "pending_customer"),
        status("T2", "2026-01-05T12:00:00Z", "in_progress"),
        status("T2", "2026-01-05T12:30:00Z", "resolved"),
    ]
    assert cell(rows_of(log(*paused)), "desk", 1, 9)["aht_s"] == 3600


def test_handling_is_business_time_in_the_service_calendar() -> None:
    # P2 on SAP ERP counts in eu-business (Mon-Fri 08:00-18:00 Berlin): Friday 17:30 to Monday 08:30 is 1h.
    events = [
        created("T1", "2026-01-09T16:30:00Z", priority="P2", service="sap-erp"),
        status("T1", "2026-01-12T07:30:00Z", "resolved"),
    ]
    row = cell(rows_of(log(*events)), "desk", 5, 17)
    assert row["aht_s"] == 3600 and row["target_s"] == 1800


def test_hours_are_local_to_the_team_across_daylight_saving() -> None:
    # 07:30Z is 08:30 in Berlin in January and 09:30 in July.
    winter = [created("W", "2026-01-05T07:30:00Z"), status("W", "2026-01-05T08:00:00Z", "resolved")]
    summer = [created("S", "2026-07-06T07:30:00Z"), status("S", "2026-07-06T08:00:00Z", "resolved")]
    rows = rows_of(log(*winter, *summer), first="2026-01", last="2026-07")
    assert cell(rows, "desk", 1, 8)["arrivals_per_hour"] > 0
    assert cell(rows, "desk", 1, 9)["arrivals_per_hour"] > 0


def test_a_team_with_an_ola_in_shanghai_hours_counts_in_shanghai() -> None:
    contract = variant_contract(
        olas={"app-cn": {"targets": {p: {"within": "8h", "calendar": "cn-business"} for p in ("P1", "P2", "P3", "P4")}}}
    )
    events = [created("T1", "2026-01-05T02:30:00Z", team="app-cn"), status("T1", "2026-01-05T03:00:00Z", "resolved")]
    rows = rows_of(log(*events), contract=contract)
    assert cell(rows, "app-cn", 1, 10)["arrivals_per_hour"] == 0.25  # 10:30 in Shanghai
    assert rows_of(log(*events), contract=contract, zones={"app-cn": "UTC"})[2 + 24 * 0]["arrivals_per_hour"] == 0.25


def test_no_arrivals_give_no_rows_but_a_named_team_gets_zeros() -> None:
    assert rows_of(log(created("T1", "2025-06-02T08:00:00Z")), first="2026-01", last="2026-01")[0]["team"] == "desk"
    rows = rows_of([], team="desk")
    assert len(rows) == 168 and all(r["agents_required"] == 0 and r["agents_scheduled"] == 0 for r in rows)
    assert rows_of([]) == []


def test_a_draft_contracts_targets_need_more_agents() -> None:
    draft = variant_contract(
        response={"targets": {p: {"within": "1m", "calendar": "always"} for p in "P1 P2 P3 P4".split()}}
    )
    lines = log(*mondays_at_0930_berlin())
    options = CapacityOptions(service_level=Fraction(93, 100))
    in_force = cell(rows_of(lines, options=options), "desk", 1, 9)
    what_if = cell(rows_of(lines, targets=draft, options=options), "desk", 1, 9)
    # 3 agents answer 94.5% within 15 minutes but 91.2% within one: the draft needs a fourth.
    assert (in_force["target_s"], in_force["agents_required"]) == (900, 3)
    assert (what_if["target_s"], what_if["agents_required"]) == (60, 4)
    shorter = variant_contract(
        resolution={"targets": {p: {"within": "30m", "calendar": "always"} for p in "P1 P2 P3 P4".split()}}
    )
    assert cell(rows_of(lines, targets=shorter), "desk", 1, 9)["aht_s"] == 1800


def test_options_given_override_the_targets_and_shrinkage() -> None:
    options = CapacityOptions(shrinkage=Fraction(0), target_s=3600)
    row = cell(rows_of(log(*mondays_at_0930_berlin()), options=options), "desk", 1, 9)
    assert row["target_s"] == 3600 and row["agents_scheduled"] == row["agents_required"]
    with pytest.raises(CapacityError, match="--shrinkage: 1 must be at least 0 and below 1"):
        rows_of([], options=CapacityOptions(shrinkage=Fraction(1)))


def test_weekday_occurrences_count_each_day_once() -> None:
    from datetime import date

    assert weekday_occurrences(date(2026, 1, 1), date(2026, 1, 31)) == {1: 4, 2: 4, 3: 4, 4: 5, 5: 5, 6: 5, 7: 4}


@pytest.fixture
def events_file(tmp_path: Path) -> str:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(log(*mondays_at_0930_berlin())))
    return str(path)


def test_the_command_prints_json_rows(events_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--contract", str(REFERENCE_PATH), "--events", events_file, "--from", "2026-01", "--to", "2026-01"]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["contract"] == "globex-ito" and result["shrinkage"] == 0.3
    assert cell(result["rows"], "desk", 1, 9)["agents_scheduled"] == 5
    assert main([*argv, "--format", "text", "--team", "desk"]) == 0
    text = capsys.readouterr().out
    assert "Team desk: 4.00 arrivals" not in text and "Team desk: 1.00 arrivals in a mean week" in text
    assert "09:00    5 ( 3)" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--service-level", "1.5"], "--service-level: 1.5 must lie strictly between 0 and 1"),
        (["--max-occupancy", "lots"], "--max-occupancy: 'lots' is not a number; expected a share like 0.8"),
        (["--target", "1d"], '--target: "1d" is not a duration'),
        (["--team", "nobody"], "--team: no ticket was ever assigned to team 'nobody'; teams: desk"),
        (["--from", "2026-13"], "--from: period '2026-13'"),
        (["--from", "2026-W02"], "--from: '2026-W02' is not a month; expected a month like 2026-01"),
        (["--from", "2026-03"], "--to: 2026-01 comes before --from 2026-03"),
        (["--service-level", "nan"], "--service-level: 'nan' is not a number"),
        (["--shrinkage", "1e999999"], "--shrinkage: '1e999999' is out of range; expected a share like 0.8"),
        (["--shrinkage", "1e9"], "--shrinkage: 1e+9 must be at least 0 and below 1"),
        (["--from", "2026-0\u0663"], "--from: period '2026-0\u0663'"),
        (["--target", "9999999h"], '--target: "9999999h" is too long'),
    ],
)
def test_bad_options_exit_2_naming_the_option(
    events_file: str, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--contract", str(REFERENCE_PATH), "--events", events_file, "--from", "2026-01", "--to", "2026-01"]
    assert main([*argv, *extra]) == 2
    out, err = capsys.readouterr()
    assert out == "" and message in err


def test_a_bad_event_line_exits_2_naming_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"".join(log(created("T1", "2026-01-05T08:30:00Z"))) + b'{"ticket": "T1"}\n')
    argv = ["--contract", str(REFERENCE_PATH), "--events", str(path), "--from", "2026-01", "--to", "2026-01"]
    assert main(argv) == 2
    assert f"{path}:2:" in capsys.readouterr().err
