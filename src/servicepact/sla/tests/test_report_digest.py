"""The digest: what may move in an event log without changing it, and what must change it."""

import pytest

from servicepact.sla.digest import DigestInBackground, digest, digest_lines
from servicepact.sla.events import canonical_event_lines, canonical_event_log, parse_event_log

LINES = [
    '{"ticket": "A", "at": "2026-03-02T10:00:00Z", "type": "created", "priority": "P1", "service": "sap-erp"}',
    '{"ticket": "A", "at": "2026-03-02T10:05:00Z", "type": "status", "status": "in_progress"}',
    '{"ticket": "A", "at": "2026-03-02T10:05:00Z", "type": "status", "status": "pending_customer"}',
    '{"ticket": "A", "at": "2026-03-02T12:00:00+01:00", "type": "responded"}',
    '{"ticket": "B", "at": "2026-03-02T09:00:00Z", "type": "created", "priority": "P2", "service": "sso"}',
    '{"ticket": "B", "at": "2026-03-02T09:30:00Z", "type": "assigned", "team": "app-support"}',
]


def events_digest(contract, contract_bytes, lines):
    events = parse_event_log(lines, contract, "EVENTS")
    return digest(contract_bytes, canonical_event_log(events))


def test_layout(contract, contract_bytes):
    result = events_digest(contract, contract_bytes, LINES)
    assert set(result) == {"algorithm", "contract_sha256", "events_sha256"}
    assert result["algorithm"] == "sha256"
    assert len(result["events_sha256"]) == 64


def test_reordering_lines_of_different_tickets_keeps_the_digest(contract, contract_bytes):
    reordered = [LINES[4], LINES[0], LINES[5], LINES[1], LINES[2], LINES[3]]
    assert events_digest(contract, contract_bytes, reordered) == events_digest(contract, contract_bytes, LINES)


def test_reordering_lines_of_one_ticket_with_different_instants_keeps_the_digest(contract, contract_bytes):
    reordered = [LINES[3], LINES[1], LINES[2], LINES[0], LINES[5], LINES[4]]
    assert events_digest(contract, contract_bytes, reordered) == events_digest(contract, contract_bytes, LINES)


def test_the_same_instant_written_with_another_offset_keeps_the_digest(contract, contract_bytes):
    rewritten = [*LINES[:3], LINES[3].replace("2026-03-02T12:00:00+01:00", "2026-03-02T11:00:00.250Z"), *LINES[4:]]
    assert events_digest(contract, contract_bytes, rewritten) == events_digest(contract, contract_bytes, LINES)


def test_swapping_two_same_instant_lines_of_one_ticket_changes_the_digest(contract, contract_bytes):
    swapped = [LINES[0], LINES[2], LINES[1], *LINES[3:]]
    assert events_digest(contract, contract_bytes, swapped) != events_digest(contract, contract_bytes, LINES)


@pytest.mark.parametrize(
    ("index", "old", "new"),
    [
        (0, '"P1"', '"P2"'),
        (1, "10:05:00Z", "10:05:01Z"),
        (4, '"sso"', '"sap-erp"'),
        (5, "app-support", "app-support-cn"),
        (5, '"ticket": "B"', '"ticket": "C"'),
    ],
)
def test_changing_any_event_changes_the_digest(contract, contract_bytes, index, old, new):
    changed = list(LINES)
    changed[index] = changed[index].replace(old, new)
    assert changed != LINES
    if index == 5 and new.endswith('"C"'):
        changed.insert(
            5, '{"ticket": "C", "at": "2026-03-01T09:00:00Z", "type": "created", "priority": "P2", "service": "sso"}'
        )
    assert (
        events_digest(contract, contract_bytes, changed)["events_sha256"]
        != events_digest(contract, contract_bytes, LINES)["events_sha256"]
    )


def test_dropping_an_event_changes_the_digest(contract, contract_bytes):
    assert events_digest(contract, contract_bytes, LINES[:-1]) != events_digest(contract, contract_bytes, LINES)


def test_any_byte_of_the_contract_changes_its_hash(contract_bytes):
    assert digest(contract_bytes, b"")["contract_sha256"] != digest(contract_bytes + b"\n", b"")["contract_sha256"]
    assert (
        digest(contract_bytes, b"")["events_sha256"]
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


def test_hashing_line_by_line_equals_hashing_the_whole_log(contract, contract_bytes):
    events = parse_event_log(LINES, contract, "EVENTS")
    assert digest_lines(contract_bytes, canonical_event_lines(events)) == digest(
        contract_bytes, canonical_event_log(events)
    )
    assert b"".join(canonical_event_lines(events)) == canonical_event_log(events)


def test_the_digest_hashed_in_a_forked_process_is_the_same(contract, contract_bytes):
    events = parse_event_log(LINES, contract, "EVENTS")
    assert DigestInBackground(contract_bytes, events).result() == digest(contract_bytes, canonical_event_log(events))
