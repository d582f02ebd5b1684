"""The desk's events as the SLA event log: what the kernel reads, and the streamed export."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from servicepact.desk import actions
from servicepact.desk.eventlog import export_lines, kernel_events
from servicepact.desk.models import Ticket
from servicepact.sla.clocks import evaluate_ticket
from servicepact.sla.contract import load_contract
from servicepact.sla.events import parse_event_log
from servicepact.slm.models import ClockState

MONDAY = datetime(2026, 3, 2, 9, 0, 30, 250_000, tzinfo=UTC)
REFERENCE = Path(__file__).resolve().parents[2] / "contracts" / "examples" / "globex-ito.yaml"


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def worked_tickets(world):
    """One ticket through the whole life cycle, one resolved at first contact, one whose service and
    category were corrected."""
    people = world.people
    first = actions.create_ticket(
        actor=people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="high",
        urgency="high",
        at=MONDAY,
    )
    actions.route_ticket(first, actor=people["agent"], at=MONDAY + timedelta(minutes=4))
    actions.add_note(first, actor=people["resolver"], body="internal", at=MONDAY + timedelta(minutes=5))
    actions.reply(first, actor=people["resolver"], body="On it", at=MONDAY + timedelta(minutes=6))
    actions.reply(first, actor=people["requester"], body="Thanks", at=MONDAY + timedelta(minutes=7))
    actions.change_priority(
        first, actor=people["team-lead"], reason="Workaround", urgency="low", at=MONDAY + timedelta(minutes=8)
    )
    actions.change_status(first, actor=people["resolver"], status="pending_customer", at=MONDAY + timedelta(minutes=9))
    actions.resolve_ticket(first, actor=people["resolver"], resolution="Fixed", at=MONDAY + timedelta(hours=2))
    actions.close_ticket(first, actor=people["requester"], at=MONDAY + timedelta(hours=3))
    second = actions.create_ticket(
        actor=people["requester"],
        contract=world.contract,
        service=world.services["sso"],
        title="Cannot log in",
        impact="low",
        urgency="low",
        at=MONDAY + timedelta(hours=1),
    )
    actions.resolve_ticket(
        second, actor=people["agent"], resolution="Password reset", at=MONDAY + timedelta(hours=1, minutes=2)
    )
    third = actions.create_ticket(
        actor=people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Screen broken",
        impact="medium",
        urgency="medium",
        at=MONDAY + timedelta(hours=1),
    )
    actions.correct_classification(
        third,
        actor=people["agent"],
        category="hardware-onsite",
        service=world.services["mes-asia"],
        reason="A broken screen on the MES terminal",
        at=MONDAY + timedelta(hours=1, minutes=1),
    )
    return first, second, third


def test_kernel_events_map_types_and_drop_the_rest(worked_tickets):
    first, second, _ = worked_tickets
    events = kernel_events(first)
    assert [event.type for event in events] == [
        "created",
        "assigned",
        "status",
        "responded",
        "priority",
        "status",
        "responded",
        "status",
        "status",
    ]
    created = events[0]
    assert created.ticket == first.number
    assert created.at == int(MONDAY.replace(microsecond=0).timestamp())
    assert created.data == {"priority": "P1", "service": "sap-erp", "team": "service-desk"}
    assert events[1].data == {"team": "app-support-cn"}
    assert events[4].data == {"priority": "P3"}
    assert [event.type for event in kernel_events(second)] == ["created", "responded", "status"]


def test_a_corrected_ticket_keeps_its_created_event_and_carries_the_correction(worked_tickets):
    created, corrected = kernel_events(worked_tickets[2])
    assert created.type == "created" and created.data == {
        "priority": "P3",
        "service": "sap-erp",
        "team": "service-desk",
    }
    assert corrected.type == "corrected"
    assert corrected.data == {
        "service": "mes-asia",
        "category": "hardware-onsite",
        "reason": "A broken screen on the MES terminal",
    }


def test_export_parses_with_the_kernel_and_gives_clock_states(worked_tickets):
    lines = list(export_lines(Ticket.objects.all(), chunk_size=2))
    assert all(line.endswith(b"\n") for line in lines)
    first = orjson.loads(lines[0])
    assert first == {
        "ticket": "INC0000001",
        "at": "2026-03-02T09:00:30Z",
        "type": "created",
        "priority": "P1",
        "service": "sap-erp",
        "team": "service-desk",
    }
    contract = load_contract(REFERENCE.read_text(), "globex-ito.yaml")
    parsed = parse_event_log(lines, contract, "export.jsonl")
    assert sorted(parsed) == ["INC0000001", "INC0000002", "INC0000003"]
    at = int((MONDAY + timedelta(days=1)).timestamp())
    _facts, clocks = evaluate_ticket(contract, parsed["INC0000002"], at)
    response = next(clock for clock in clocks if clock.clock == "response")
    assert response.state == "met"


def test_export_since_takes_whole_histories_of_recent_tickets(worked_tickets):
    since = MONDAY + timedelta(hours=1, minutes=1, seconds=30)
    lines = [orjson.loads(line) for line in export_lines(Ticket.objects.all(), since)]
    assert {line["ticket"] for line in lines} == {"INC0000001", "INC0000002"}
    assert lines[0]["type"] == "created"


def test_replaying_the_export_gives_the_stored_clock_states(worked_tickets):
    contract = load_contract(REFERENCE.read_text(), "globex-ito.yaml")
    parsed = parse_event_log(list(export_lines(Ticket.objects.all())), contract, "export.jsonl")
    assert ClockState.objects.filter(clock__in=["response", "resolution"]).count() == 6
    for stored in ClockState.objects.select_related("ticket").exclude(clock__startswith="ola:"):
        _facts, clocks = evaluate_ticket(contract, parsed[stored.ticket.number], int(stored.computed_at.timestamp()))
        replayed = next(clock for clock in clocks if clock.clock == stored.clock)
        assert (replayed.state, replayed.elapsed_s, replayed.priority) == (
            stored.state,
            stored.elapsed_s,
            stored.priority,
        )
