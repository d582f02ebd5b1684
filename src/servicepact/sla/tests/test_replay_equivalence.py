"""Replay of a generated log gives the very bytes it gave before the replay path was made fast.

The SHA-256 figures below were taken from the straightforward implementation (one ``Event`` object per
line, each ticket's clocks evaluated in turn) on logs made by ``bench/gen_events.py``: a 2,000-ticket
log as generated, the same log with deliberate damage on some lines (its error messages), and clock
variants of the reference contract (split priority changes, warnings, an update clock, OLA clocks),
whose internal clock states are hashed too because reports read them. The batch reader must read
the log as ``parse_event_log`` does, and the fast line acceptance must agree with the thorough checker.
"""

import hashlib
import importlib.util
import io
import re
from pathlib import Path

import orjson
import pytest

from servicepact.sla.clock_batch_log import NO_VALUE, read_log_columns
from servicepact.sla.clocks import evaluate_ticket
from servicepact.sla.commands import replay as replay_command
from servicepact.sla.commands.replay import write_replay
from servicepact.sla.events import EVENT_TYPES, STATUSES, _fast_acceptor, _LineChecker, parse_event_log
from servicepact.sla.tests.cases.contracts import REFERENCE_PATH, reference_contract, variant_contract
from servicepact.sla.timefmt import parse_instant

GEN_EVENTS = Path(__file__).resolve().parents[4] / "bench" / "gen_events.py"
TICKETS = 2000
END_OF_YEAR = "2027-01-01T00:00:00Z"
MID_YEAR = "2026-07-01T12:00:00+02:00"  # many clocks still running or paused, later events ignored

REPLAY_SHA256 = {
    END_OF_YEAR: "1a892909769f47a18c028df2aaaad207c381c0044e9f046eeada435841e1d127",
    MID_YEAR: "6a7e83bcbde51aea5187d3419e92f4bd475359aac4f901d0ba50d326d429167e",
}
# The messages list the allowed types and statuses; this changed when imported history's `unassigned`,
# `amended` and `pending_problem` joined them (with those two lists put back as they were, the
# messages hash to e71622fe…, the figure before). It changed again (from 018862b3…) when an instant
# written with an Arabic-Indic digit became a bad line, as every digit that is not ASCII is: two more
# messages, that line's and the one of its ticket's next event, now the first.
DAMAGED_LOG_ERRORS_SHA256 = "aeb2d30792396c3d1f5f1ac8e97ab0723291ac3ee6853830dec3b77db463679d"
VARIANT_REPLAY_SHA256 = {
    END_OF_YEAR: "17065ea7dea58634fb58bdb9cf51de6087e42669c5de28a7a3e2747b9d08176d",
    MID_YEAR: "413c48169913fe7b6bbb62ddeafe9d03aa4b54686a7c56754cfe665fc7a7d7c7",
}
VARIANT_STATES_SHA256 = {
    END_OF_YEAR: "c751d7719a7f00e081eec98b791fc951e60eb3e3478617dcd14c63fcd17af185",
    MID_YEAR: "77467e5003b6780bd4f43705defe4bd8742c37ea0b2f0e6bda5d6b86ca9df75e",
}


def _generator():
    spec = importlib.util.spec_from_file_location("gen_events", GEN_EVENTS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated_log() -> bytes:
    import datetime

    lines = _generator().generate(TICKETS, 1, datetime.date(2026, 1, 5), 360)
    return b"\n".join(lines) + b"\n"


# Damage applied to every 53rd line in turn, each a kind of input the fast path must hand over to the
# thorough checker (or accept with the same reading, as for the space separator and fractions).
DAMAGE = (
    lambda line: line.replace(b'Z"', b'"'),  # no offset
    lambda line: line[: len(line) // 2],  # cut off: invalid JSON
    lambda line: line.replace(b'"type":"', b'"type":"X'),  # unknown type
    lambda line: re.sub(rb"(T\d\d:\d\d:)\d\d", rb"\g<1>60", line),  # leap second
    lambda line: line.replace(b"T", b" ", 1).replace(b'"ticket":" ', b'"ticket":"T'),  # space separator
    lambda line: line.replace(b'Z"', b'.999Z"'),  # fraction, dropped
    lambda line: line.replace(b'Z"', b'z"'),  # lower-case zulu
    lambda line: line.replace(b'"priority":"P', b'"priority":"Q'),  # unknown priority
    lambda line: line.replace(b'"at":"', b'"at":null,"was":"'),  # null instant
    lambda line: b"  " + line + b" \t",  # surrounding whitespace
    lambda line: line.replace(b'"status":"', b'"status":"re'),  # unknown status
    lambda line: line.replace(b"+01:00", b"+24:00").replace(b"+08:00", b"-08:60"),  # offset out of range
    lambda line: line.replace(b'"team":"', b'"team":"";"x":"'),  # invalid JSON in a field
    lambda line: line.replace(b'"team":"', b'"team":1,"y":"'),  # team not a string
    lambda line: line.replace(b'"category":"', b'"category":2,"z":"'),  # category not a string
    lambda line: line.replace(b"-0", b"-1", 1),  # month 10-12 or a different day
    lambda line: b"[" + line + b"]",  # not an object
    lambda line: b" \n",  # blank line
    lambda line: line.replace(b'"ticket":"', b'"ticket":"", "t":"'),  # empty ticket
    lambda line: line.replace(b"2026-", "2026\u2010".encode(), 1),  # a Unicode hyphen
    lambda line: line.replace(b"T0", "T\u0660".encode(), 1),  # an Arabic-Indic digit: refused
    lambda line: line.replace(b'"service":"', b'"service":"x-'),  # unknown service
    lambda line: line.replace(b'"ticket":"GLX-000', b'"ticket":"GLX-900'),  # a ticket without created
    lambda line: b"\xef\xbb\xbf" + line,  # byte-order mark
    lambda line: re.sub(rb'"at":"(\d{4})-\d\d-\d\d', rb'"at":"\1-02-30', line),  # day out of range
    lambda line: line.replace(b'"status":"resolved"', b'"status":"closed"'),  # later events come after closed
    lambda line: line.replace(
        b'"type":"responded"', b'"type":"created","priority":"P2","service":"sso"'
    ),  # second created
)


def _damaged(log: bytes) -> bytes:
    lines = log.split(b"\n")
    for index in range(0, len(lines), 53):
        lines[index] = DAMAGE[(index // 53) % len(DAMAGE)](lines[index])
    return b"\n".join(lines)


def _variant():
    always = {p: {"within": "2h", "calendar": "always"} for p in ("P1", "P2", "P3", "P4")}
    by_service = {
        p: {"within": within, "calendar": "service"}
        for p, within in zip(("P1", "P2", "P3", "P4"), ("4h", "8h", "16h", "40h"))
    }
    return variant_contract(
        response={"pause_on": ["pending_customer"]},
        resolution={
            "on_priority_change": "split",
            "pause_on": ["pending_customer", "pending_vendor"],
            "warnings": [{"at": "50%", "notify": ["assignee"]}, {"at": "90%", "notify": ["team_lead"]}],
        },
        update={"pause_on": ["pending_customer"], "targets": by_service},
        olas={
            "app-support-cn": {"pause_on": ["pending_customer"], "targets": by_service},
            "hw-vendor": {"underpinning": True, "targets": always},
        },
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("at", [END_OF_YEAR, MID_YEAR])
def test_command_output_is_unchanged(generated_log, tmp_path, capsysbinary, at):
    log = tmp_path / "events.jsonl"
    log.write_bytes(generated_log)
    code = replay_command.main(["replay", "--contract", str(REFERENCE_PATH), "--events", str(log), "--at", at])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    assert _sha256(out) == REPLAY_SHA256[at]


def test_error_messages_of_a_damaged_log_are_unchanged(generated_log, tmp_path, capsysbinary):
    log = tmp_path / "damaged.jsonl"
    log.write_bytes(_damaged(generated_log))
    code = replay_command.main(["replay", "--contract", str(REFERENCE_PATH), "--events", str(log), "--at", END_OF_YEAR])
    out, err = capsysbinary.readouterr()
    assert (code, out) == (2, b"")
    assert _sha256(err.replace(str(log).encode(), b"EVENTS")) == DAMAGED_LOG_ERRORS_SHA256


@pytest.mark.parametrize("at", [END_OF_YEAR, MID_YEAR])
def test_clock_variants_are_unchanged(generated_log, at):
    contract = _variant()
    events = parse_event_log(generated_log.split(b"\n"), contract, "events.jsonl")
    out = io.BytesIO()
    write_replay(contract, events, parse_instant(at), out)
    assert _sha256(out.getvalue()) == VARIANT_REPLAY_SHA256[at]
    states = [
        evaluate_ticket(contract, events[ticket], parse_instant(at))
        for ticket in sorted(events)
        if events[ticket][0].at <= parse_instant(at)
    ]
    assert _sha256(repr(states).encode()) == VARIANT_STATES_SHA256[at]


def test_fast_and_thorough_line_checks_agree_on_a_generated_log(generated_log):
    checker = _LineChecker(reference_contract())
    accept = _fast_acceptor(checker)
    damaged = _damaged(generated_log[: 400 * 120]).split(b"\n")
    accepted = 0
    for number, raw in enumerate(damaged, start=1):
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError:
            continue
        if type(record) is not dict:
            continue
        errors: list[str] = []
        thorough = checker.check(dict(record), errors)
        fast = accept(dict(record), number)
        if fast is not None:
            accepted += 1
            assert thorough == (fast.ticket, fast.at, fast.type, fast.data)
    assert accepted > 300


def test_batch_reader_reads_the_generated_log_as_parse_event_log_does(generated_log):
    contract = reference_contract()
    columns = read_log_columns(generated_log, contract)
    events = parse_event_log(generated_log.split(b"\n"), contract, "events.jsonl")
    assert columns.tickets == sorted(events)
    priorities, services = list(contract.priorities), sorted(contract.services)
    expected = [
        (
            index,
            event.at,
            EVENT_TYPES.index(event.type),
            STATUSES.index(event.data["status"]) if event.type == "status" else NO_VALUE,
            priorities.index(event.data["priority"]) if event.type in ("created", "priority") else NO_VALUE,
            services.index(event.data["service"]) if event.type == "created" else NO_VALUE,
        )
        for index, ticket in enumerate(columns.tickets)
        for event in events[ticket]
    ]
    got = list(
        zip(
            *(
                column.tolist()
                for column in (
                    columns.ticket,
                    columns.at,
                    columns.kind,
                    columns.status,
                    columns.priority,
                    columns.service,
                )
            )
        )
    )
    assert got == expected
    assert read_log_columns(_damaged(generated_log), contract) is None
