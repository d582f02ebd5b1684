"""Live clocks: every action stores the kernel's clock states, the sweep's next moment, due and breach."""

from datetime import UTC, datetime, timedelta

import orjson
import pytest

from servicepact.desk import actions
from servicepact.desk.eventlog import export_lines
from servicepact.desk.models import Ticket
from servicepact.sla.clocks import replay
from servicepact.sla.contract import load_contract
from servicepact.sla.events import parse_event_log
from servicepact.slm.live import refresh_clocks
from servicepact.slm.tests.conftest import MONDAY_0900Z, clocks_of, open_ticket

SECOND = timedelta(seconds=1)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_a_new_ticket_has_both_clocks_running_and_is_due_at_the_response(world):
    ticket = open_ticket(world)
    clocks = clocks_of(ticket)
    assert list(clocks) == ["response", "resolution"]
    response, resolution = clocks["response"], clocks["resolution"]
    # P2: response 30 min, resolution 8 h, both on eu-business (Mon-Fri 08-18 Berlin, UTC+1 in March).
    assert (response.priority, response.calendar, response.target_s, response.elapsed_s) == (
        "P2",
        "eu-business",
        1800,
        0,
    )
    assert response.state == "running" and response.due_at == utc(2026, 3, 2, 9, 30)
    assert response.next_check_at == utc(2026, 3, 2, 9, 30, 1)  # one open second past the target: the breach
    assert resolution.due_at == utc(2026, 3, 2, 17, 0)
    assert resolution.computed_at == MONDAY_0900Z and resolution.warnings_fired == []
    ticket.refresh_from_db()
    assert ticket.due_at == utc(2026, 3, 2, 9, 30) and not ticket.breached


def test_a_reply_stops_the_response_clock_and_moves_the_ticket_due(world):
    ticket = open_ticket(world)
    actions.reply(ticket, actor=world.people["agent"], body="Looking into it.", at=utc(2026, 3, 2, 9, 10))
    response = clocks_of(ticket)["response"]
    assert response.state == "met" and response.elapsed_s == 600
    assert response.stopped_at == utc(2026, 3, 2, 9, 10) and response.due_at is None
    assert response.next_check_at is None
    ticket.refresh_from_db()
    assert ticket.due_at == utc(2026, 3, 2, 17, 0)


def test_a_late_action_finds_the_response_breached_and_flags_the_ticket(world):
    ticket = open_ticket(world)
    actions.add_note(ticket, actor=world.people["agent"], body="Still reading logs.", at=utc(2026, 3, 2, 10, 0))
    response = clocks_of(ticket)["response"]
    assert response.state == "breached" and response.breached_at == utc(2026, 3, 2, 9, 30)
    assert response.elapsed_s == 3600
    # The breach is reached and not yet recorded: the sweep should look at once.
    assert response.next_check_at == utc(2026, 3, 2, 9, 30)
    ticket.refresh_from_db()
    assert ticket.breached and ticket.due_at == utc(2026, 3, 2, 17, 0)


def test_a_paused_clock_needs_no_sweep(world):
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=utc(2026, 3, 2, 9, 5))
    actions.reply(ticket, actor=world.people["resolver"], body="Which company code?", at=utc(2026, 3, 2, 9, 6))
    actions.change_status(ticket, actor=world.people["resolver"], status="pending_customer", at=utc(2026, 3, 2, 9, 7))
    resolution = clocks_of(ticket)["resolution"]
    assert resolution.state == "paused" and resolution.elapsed_s == 420
    assert resolution.next_check_at is None
    ticket.refresh_from_db()
    assert ticket.due_at is None  # no running clock


def test_evening_and_weekend_are_not_counted(world):
    # Friday 6 March 2026, 16:00 Berlin: two business hours left that day.
    ticket = open_ticket(world, at=utc(2026, 3, 6, 15, 0))
    resolution = clocks_of(ticket)["resolution"]
    # 8 business hours: 2 on Friday, 6 on Monday from 08:00 Berlin -> Monday 14:00 Berlin.
    assert resolution.due_at == utc(2026, 3, 9, 13, 0)
    refresh_clocks(Ticket.objects.get(pk=ticket.pk), utc(2026, 3, 9, 8, 0))  # Monday 09:00 Berlin
    resolution = clocks_of(ticket)["resolution"]
    assert resolution.elapsed_s == 3 * 3600 and resolution.due_at == utc(2026, 3, 9, 13, 0)


def test_stored_clocks_equal_the_kernel_replay_of_the_export(world):
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=utc(2026, 3, 2, 9, 20))
    actions.change_priority(
        ticket, actor=world.people["agent"], reason="Month-end close", priority="P1", at=utc(2026, 3, 2, 11, 0)
    )
    actions.resolve_ticket(ticket, actor=world.people["resolver"], resolution="Reposted.", at=utc(2026, 3, 2, 12, 0))
    contract = load_contract(world.version.source, "globex-ito.yaml")
    log = parse_event_log(list(export_lines(Ticket.objects.all())), contract, "export.jsonl")
    expected = [state.spec_dict() for state in replay(contract, log, int(utc(2026, 3, 2, 12, 0).timestamp()))]
    stored = [
        {
            "ticket": ticket.number,
            "clock": row.clock,
            "priority": row.priority,
            "calendar": row.calendar,
            "target_s": row.target_s,
            "elapsed_s": row.elapsed_s,
            "state": row.state,
            "breached_at": _text(row.breached_at),
            "due_at": _text(row.due_at),
            "stopped_at": _text(row.stopped_at),
        }
        for row in ticket.clocks.order_by("id")
    ]
    assert stored == expected
    assert orjson.dumps(stored)  # plain JSON values


def _text(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_refresh_costs_a_handful_of_queries(world, django_assert_max_num_queries):
    ticket = open_ticket(world)
    locked = Ticket.objects.get(pk=ticket.pk)
    with django_assert_max_num_queries(4):
        refresh_clocks(locked, utc(2026, 3, 2, 9, 15))


def test_a_refresh_keeps_the_thresholds_already_fired(world):
    ticket = open_ticket(world)
    ticket.clocks.filter(clock="response").update(warnings_fired=["1"])
    refresh_clocks(Ticket.objects.get(pk=ticket.pk), utc(2026, 3, 2, 10, 0))
    response = clocks_of(ticket)["response"]
    assert response.warnings_fired == ["1"] and response.next_check_at is None


@pytest.mark.parametrize("clock", ["response", "resolution"])
def test_every_clock_has_exactly_one_row(world, clock):
    ticket = open_ticket(world)
    for minute in (1, 2, 3):
        actions.add_note(ticket, actor=world.people["agent"], body="note", at=MONDAY_0900Z + minute * 60 * SECOND)
    assert ticket.clocks.filter(clock=clock).count() == 1
