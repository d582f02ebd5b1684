"""The batch replay (columns, clock_batch.py) gives byte for byte what the event-by-event replay gives."""

import io

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicepact.sla.clock_batch import batch_covers
from servicepact.sla.clock_batch_log import read_log_columns
from servicepact.sla.clocks import contract_clocks
from servicepact.sla.commands.replay import replay_log, write_replay
from servicepact.sla.events import EventLogError, parse_event_log
from servicepact.sla.tests.cases.contracts import reference_contract, variant_contract
from servicepact.sla.timefmt import format_instant, parse_instant

REFERENCE = reference_contract()
RESPONSE_PAUSES = variant_contract(
    response={"pause_on": ["pending_customer"]}, resolution={"pause_on": ["pending_customer", "pending_vendor"]}
)
STATUSES = ("new", "assigned", "in_progress", "pending_customer", "pending_vendor", "resolved", "closed")
# Ticket ids of the compact shape and of others (a quote, non-ASCII) that are read line by line.
TICKETS = ("GLX-1", "GLX-2", "glx-10", "Ärger-3", 'say "4"', "T 5")
# Around the spring-forward night in Berlin, and China's make-up working Saturday 2026-10-10.
STARTS = (parse_instant("2026-03-27T15:00:00Z"), parse_instant("2026-10-09T06:00:00Z"))


def scalar_output(contract, log: bytes, at: int) -> bytes:
    out = io.BytesIO()
    write_replay(contract, parse_event_log(log.split(b"\n"), contract, "log"), at, out)
    return out.getvalue()


def batch_output(contract, log: bytes, at: int) -> bytes:
    assert read_log_columns(log, contract) is not None, "the batch path declined a valid log"
    out = io.BytesIO()
    replay_log(contract, log, "log", at, out)
    return out.getvalue()


def line(record: dict, shape: int) -> bytes:
    """One event written in one of the shapes an export or a hand-made log may have."""
    at = record["at"]
    if shape == 1:
        return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
    if shape == 2:
        return orjson.dumps(record).replace(b'":"', b'": "').replace(b'","', b'", "') + b"\r"
    if shape == 3:
        local = format_instant(parse_instant(at) + 8 * 3600)[:-1] + "+08:00"
        return orjson.dumps({**record, "at": local})
    if shape == 4:
        return orjson.dumps({**record, "at": at[:-1] + ".75Z", "note": "see [1]"})
    return orjson.dumps(record)


@st.composite
def logs(draw) -> tuple[bytes, int]:
    start = draw(st.sampled_from(STARTS))
    per_ticket = []
    for ticket in draw(st.lists(st.sampled_from(TICKETS), min_size=1, max_size=5, unique=True)):
        at = start + draw(st.integers(0, 3 * 86400))
        events = [
            {
                "ticket": ticket,
                "at": at,
                "type": "created",
                "priority": draw(st.sampled_from(["P1", "P2", "P3", "P4"])),
                "service": draw(st.sampled_from(["sap-erp", "sso", "mes-asia", "hr-portal"])),
            }
        ]
        for _ in range(draw(st.integers(0, 8))):
            at += draw(st.sampled_from([0, 0, 1, 60, 1800, 3600, 5 * 3600, 20 * 3600]))
            kind = draw(st.sampled_from(["status", "status", "status", "priority", "assigned", "responded"]))
            event = {"ticket": ticket, "at": at, "type": kind}
            if kind == "status":
                event["status"] = draw(st.sampled_from(STATUSES))
            elif kind == "priority":
                event["priority"] = draw(st.sampled_from(["P1", "P2", "P3", "P4"]))
            elif kind == "assigned":
                event["team"] = "app-support-cn"
            events.append(event)
            if event.get("status") == "closed":
                break
        per_ticket.append(events)
    # tickets interleaved at random, each one's events in their own order
    lines = []
    while per_ticket:
        events = per_ticket[draw(st.integers(0, len(per_ticket) - 1))]
        record = events.pop(0)
        record["at"] = format_instant(record["at"])
        lines.append(line(record, draw(st.integers(0, 6))))
        if draw(st.integers(0, 20)) == 0:
            lines.append(b"   ")
        per_ticket = [events for events in per_ticket if events]
    at = start + draw(st.integers(0, 5 * 86400))
    return b"\n".join(lines) + draw(st.sampled_from([b"\n", b""])), at


@settings(max_examples=80, deadline=None)
@given(case=logs())
def test_batch_and_event_by_event_replays_agree(case):
    log, at = case
    assert batch_output(REFERENCE, log, at) == scalar_output(REFERENCE, log, at)


@settings(max_examples=40, deadline=None)
@given(case=logs())
def test_they_agree_when_the_response_clock_pauses(case):
    log, at = case
    assert batch_output(RESPONSE_PAUSES, log, at) == scalar_output(RESPONSE_PAUSES, log, at)


def compact(ticket: str, at: str, kind: str, **fields) -> bytes:
    return orjson.dumps({"ticket": ticket, "at": at, "type": kind, **fields})


GOOD = [
    compact("A", "2026-03-02T09:00:00Z", "created", priority="P2", service="sso"),
    compact("A", "2026-03-02T09:10:00Z", "responded"),
]


@pytest.mark.parametrize(
    "bad",
    [
        b'{"ticket":"A","at":"2026-03-02T09:20:00Z","type":"status","status":"gone"}',
        b'{"ticket":"A","at":"2026-02-30T09:20:00Z","type":"responded"}',
        b'{"ticket":"A","at":"2026-03-02T09:20:60Z","type":"responded"}',
        b'{"ticket":"A","at":"2026-03-02T09:20:00+24:00","type":"responded"}',
        b'{"ticket":"A","at":"2026-03-02T09:20:00","type":"responded"}',
        b'{"ticket":"A","at":"2026-03-02T09:20:00Z","type":"responded"',
        compact("A", "2026-03-02T09:20:00Z", "created", priority="P2", service="sso"),  # a second created
        compact("B", "2026-03-02T09:20:00Z", "responded"),  # no created
    ],
)
def test_batch_reader_declines_logs_with_problems_and_the_messages_come_from_the_line_checker(bad):
    log = b"\n".join([*GOOD, bad]) + b"\n"
    assert read_log_columns(log, REFERENCE) is None
    with pytest.raises(EventLogError):
        replay_log(REFERENCE, log, "log", parse_instant("2026-03-03T00:00:00Z"), io.BytesIO())


def test_events_after_closed_are_refused():
    log = b"\n".join(
        [
            *GOOD,
            compact("A", "2026-03-02T09:20:00Z", "status", status="closed"),
            compact("A", "2026-03-02T09:20:00Z", "responded"),
        ]
    )
    assert read_log_columns(log, REFERENCE) is None


def test_a_repeated_key_reads_as_the_line_checker_reads_it():
    repeated = b'{"ticket":"A","at":"2026-03-02T09:00:00Z","type":"responded","at":"2026-03-02T11:00:00Z"}'
    log = b"\n".join([GOOD[0], repeated]) + b"\n"
    at = parse_instant("2026-03-02T12:00:00Z")
    assert batch_output(REFERENCE, log, at) == scalar_output(REFERENCE, log, at)
    assert b'"stopped_at":"2026-03-02T11:00:00Z"' in batch_output(REFERENCE, log, at)


def test_tickets_created_after_the_instant_are_left_out():
    log = b"\n".join([*GOOD, compact("B", "2026-03-05T09:00:00Z", "created", priority="P1", service="sso")])
    out = batch_output(REFERENCE, log, parse_instant("2026-03-04T00:00:00Z"))
    assert out.count(b"\n") == 2 and b'"B"' not in out
    assert batch_output(REFERENCE, b"", parse_instant("2026-03-04T00:00:00Z")) == b""


@pytest.mark.parametrize(
    "contract",
    [
        variant_contract(resolution={"on_priority_change": "split"}),
        variant_contract(resolution={"on_priority_change": "restart"}),
        variant_contract(
            update={"targets": {p: {"within": "1h", "calendar": "always"} for p in ("P1", "P2", "P3", "P4")}}
        ),
        variant_contract(
            olas={"erp": {"targets": {p: {"within": "1h", "calendar": "always"} for p in ("P1", "P2", "P3", "P4")}}}
        ),
    ],
    ids=["split", "restart", "update", "ola"],
)
def test_clocks_the_batch_does_not_cover_go_event_by_event(contract):
    assert not batch_covers(contract_clocks(contract))
    log = b"\n".join(GOOD) + b"\n"
    at = parse_instant("2026-03-03T00:00:00Z")
    out = io.BytesIO()
    replay_log(contract, log, "log", at, out)
    assert out.getvalue() == scalar_output(contract, log, at)


def test_the_reference_contract_is_covered():
    assert batch_covers(contract_clocks(REFERENCE))


def test_used_up_clocks_are_due_at_the_instant_on_both_paths():
    # P2's response (30 business minutes) used up at 18:00 Berlin; P1's resolution (4 h, 24x7) used up,
    # then paused: both are due at TIME, never before it, on both paths.
    log = b"\n".join(
        orjson.dumps(record)
        for record in (
            {"ticket": "A", "at": "2026-03-02T16:30:00Z", "type": "created", "priority": "P2", "service": "sap-erp"},
            {"ticket": "B", "at": "2026-03-02T10:00:00Z", "type": "created", "priority": "P1", "service": "sap-erp"},
            {"ticket": "B", "at": "2026-03-02T14:00:00Z", "type": "status", "status": "pending_customer"},
        )
    )
    at = parse_instant("2026-03-02T19:00:00Z")
    batch = batch_output(REFERENCE, log, at)
    assert batch == scalar_output(REFERENCE, log, at)
    states = [orjson.loads(row) for row in batch.splitlines()]
    assert [state["due_at"] for state in states if state["elapsed_s"] == state["target_s"]] == [
        "2026-03-02T19:00:00Z"
    ] * 2
