"""What history from other tools brings beside the spec's types: `unassigned`, `amended`, `pending_problem`.

- `unassigned`: the ticket leaves every team's queue; an OLA clock of the team that held it stops, and
  running time from then on is attributed to no team.
- `amended`: a change no clock reads (fields under `changes`); it may follow `closed`.
- `pending_problem`: a status like the others; a contract may pause a clock on it.
A log with these reads as before on the event-by-event path; the batch path declines it (same output).
"""

import io
from pathlib import Path

import orjson
import pytest

from servicepact.sla.clock_batch_log import read_log_columns
from servicepact.sla.clocks import evaluate_ticket
from servicepact.sla.commands.replay import replay_log, write_replay
from servicepact.sla.contract import load_contract
from servicepact.sla.events import EventLogError, canonical_event_log, parse_event_log
from servicepact.sla.periods import parse_period
from servicepact.sla.report import build_report
from servicepact.sla.tests.cases.contracts import reference_contract, variant_contract
from servicepact.sla.timefmt import parse_instant

CONTRACT = reference_contract()
OLA_BYTES = (Path(__file__).parent / "reports" / "globex-olas.yaml").read_bytes()
OLA_CONTRACT = load_contract(OLA_BYTES, "globex-olas.yaml")
MARCH = parse_period("2026-03", "Europe/Berlin")


def parse(*records: dict, contract=CONTRACT) -> dict:
    return parse_event_log([orjson.dumps(record) for record in records], contract, "EVENTS")


def problems(*records: dict) -> list[str]:
    with pytest.raises(EventLogError) as error:
        parse(*records)
    return error.value.messages


def event(at: str, kind: str, **fields) -> dict:
    return {"ticket": "T", "at": f"2026-03-02T{at}:00Z", "type": kind, **fields}


CREATED = event("08:00", "created", priority="P1", service="sap-erp", team="service-desk")
RESOLVED = event("11:00", "status", status="resolved")
CLOSED = event("12:00", "status", status="closed")


def test_an_amendment_names_its_changes_and_may_follow_closed():
    events = parse(
        CREATED, RESOLVED, CLOSED, event("13:00", "amended", changes={"team": "app-support", "status": "in_progress"})
    )
    assert [e.type for e in events["T"]] == ["created", "status", "status", "amended"]
    assert problems(CREATED, event("09:00", "amended")) == [
        "EVENTS:2: an 'amended' event needs 'changes', an object naming what changed"
    ]
    assert problems(CREATED, event("09:00", "amended", changes=[])) == [
        "EVENTS:2: field 'changes' must be a non-empty object, got array"
    ]


def test_an_unassignment_is_an_ordinary_event_and_not_allowed_after_closed():
    assert [e.type for e in parse(CREATED, event("09:00", "unassigned", reason="back to the pool"))["T"]] == [
        "created",
        "unassigned",
    ]
    assert problems(CREATED, RESOLVED, CLOSED, event("13:00", "unassigned")) == [
        "EVENTS:4: event 'unassigned' of ticket 'T' after it was closed (line 3)"
    ]
    assert problems(CREATED, event("09:00", "unassigned", reason=3)) == [
        "EVENTS:2: field 'reason' must be a string, got number"
    ]


def test_an_amendment_changes_no_clock_and_stays_in_the_canonical_log():
    plain = parse(CREATED, RESOLVED, CLOSED)
    amended = parse(
        CREATED,
        event("09:00", "amended", changes={"impact": "low"}),
        RESOLVED,
        CLOSED,
        event("13:00", "amended", changes={"status": "in_progress"}),
    )
    at = parse_instant("2026-04-01T00:00:00Z")
    assert evaluate_ticket(CONTRACT, amended["T"], at)[1] == evaluate_ticket(CONTRACT, plain["T"], at)[1]
    assert canonical_event_log(amended).count(b'"type":"amended"') == 2


def test_an_unassignment_stops_the_ola_clock_of_the_team_that_held_it():
    records = (
        CREATED,
        event("08:30", "assigned", team="app-support"),
        event("09:00", "unassigned"),
        event("10:00", "assigned", team="app-support"),
        RESOLVED,
    )
    facts, clocks = evaluate_ticket(
        OLA_CONTRACT, parse(*records, contract=OLA_CONTRACT)["T"], parse_instant("2026-03-03T00:00:00Z")
    )
    ola = next(clock for clock in clocks if clock.clock == "ola:app-support")
    assert (ola.elapsed_s, ola.state) == (30 * 60 + 60 * 60, "met")
    assert facts.teams == [
        (parse_instant("2026-03-02T08:00:00Z"), "service-desk"),
        (parse_instant("2026-03-02T08:30:00Z"), "app-support"),
        (parse_instant("2026-03-02T09:00:00Z"), None),
        (parse_instant("2026-03-02T10:00:00Z"), "app-support"),
    ]


def test_time_in_no_queue_counts_for_no_team_in_the_vendor_share():
    records = (CREATED, event("08:30", "assigned", team="hw-vendor"), event("09:00", "unassigned"), RESOLVED)
    report = build_report(OLA_CONTRACT, OLA_BYTES, parse(*records, contract=OLA_CONTRACT), MARCH)
    by_team = {team: figures["numerator"] for team, figures in report["by_team"]["vendor-share"].items()}
    assert by_team == {"(unassigned)": 7200, "hw-vendor": 1800, "service-desk": 1800}


def test_a_contract_may_pause_on_pending_problem():
    pausing = variant_contract(resolution={"pause_on": ["pending_customer", "pending_problem"]})
    records = (
        CREATED,
        event("09:00", "status", status="pending_problem"),
        event("10:00", "status", status="in_progress"),
        RESOLVED,
    )
    at = parse_instant("2026-03-03T00:00:00Z")
    elapsed = [
        evaluate_ticket(contract, parse(*records, contract=contract)["T"], at)[1][1].elapsed_s
        for contract in (CONTRACT, pausing)
    ]
    assert elapsed == [3 * 3600, 2 * 3600]


@pytest.mark.parametrize(
    "extra",
    [
        event("09:00", "unassigned"),
        event("13:00", "amended", changes={"category": "x"}),
        event("09:00", "status", status="pending_problem"),
    ],
)
def test_the_batch_path_gives_the_event_by_event_output(extra):
    records = sorted(
        (CREATED, extra, event("09:30", "assigned", team="app-support"), RESOLVED, CLOSED),
        key=lambda record: record["at"],
    )
    log = b"\n".join(orjson.dumps(record) for record in records)
    if extra["type"] != "status":
        assert read_log_columns(log, CONTRACT) is None
    at = parse_instant("2026-04-01T00:00:00Z")
    out, expected = io.BytesIO(), io.BytesIO()
    replay_log(CONTRACT, log, "log", at, out)
    write_replay(CONTRACT, parse_event_log(log.split(b"\n"), CONTRACT, "log"), at, expected)
    assert out.getvalue() == expected.getvalue()
