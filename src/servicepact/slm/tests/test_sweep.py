"""The sweep: warnings and breaches that time brings, fired exactly once, never early, to the right people."""

from datetime import UTC, datetime, timedelta

import pytest

from servicepact.desk import actions
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import EventType, TicketEvent
from servicepact.notify.models import Outbox
from servicepact.slm import sweep as sweep_module
from servicepact.slm.sweep import sweep
from servicepact.slm.tests.conftest import clocks_of, open_ticket

SECOND = timedelta(seconds=1)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def warnings_of(ticket) -> list[tuple[str, str]]:
    return [
        (event.data["clock"], event.data["threshold"])
        for event in TicketEvent.objects.filter(ticket=ticket, type=EventType.CLOCK_WARNING).order_by("seq")
    ]


def recipients_of(ticket) -> set[str]:
    return {address for message in Outbox.objects.filter(ticket=ticket) for address in message.recipients}


@pytest.fixture
def worked_ticket(warned_world):
    """P2 on SAP ERP opened Monday 09:00Z, routed to application support, assigned to its resolver."""
    world = warned_world
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=utc(2026, 3, 2, 9, 1))
    actions.set_assignee(
        ticket, actor=world.people["team-lead"], assignee=world.people["resolver"], at=utc(2026, 3, 2, 9, 2)
    )
    return ticket


def test_the_breach_fires_one_second_past_the_target_never_at_it(worked_ticket):
    assert sweep(utc(2026, 3, 2, 9, 30)).warnings == 0
    assert warnings_of(worked_ticket) == []
    result = sweep(utc(2026, 3, 2, 9, 30, 1))
    assert (result.tickets, result.warnings) == (1, 1)
    assert warnings_of(worked_ticket) == [("response", "1")]
    event = TicketEvent.objects.get(ticket=worked_ticket, type=EventType.CLOCK_WARNING)
    assert event.data["breach"] and event.data["reached_at"] == "2026-03-02T09:30:00Z" and not event.public
    assert event.at == utc(2026, 3, 2, 9, 30, 1)
    # Breach roles by default: assignee, team lead (and on call, for now the lead), customer manager.
    assert recipients_of(worked_ticket) == {
        "resolver@example.test",
        "team-lead@example.test",
        "customer-manager@example.test",
    }
    assert clocks_of(worked_ticket)["response"].warnings_fired == ["1"]


def test_each_threshold_fires_once_however_often_the_sweep_runs(worked_ticket):
    for minute in range(0, 8 * 60, 7):
        sweep(utc(2026, 3, 2, 9, 30) + minute * 60 * SECOND)
    # Due at 17:00Z, Berlin's close of business: the breach is the first open second after it, Tuesday.
    assert sweep(utc(2026, 3, 3, 7, 0)).warnings == 0
    sweep(utc(2026, 3, 3, 7, 0, 1))
    sweep(utc(2026, 3, 3, 7, 0, 1))
    assert warnings_of(worked_ticket) == [
        ("response", "1"),
        ("resolution", "1/2"),
        ("resolution", "9/10"),
        ("resolution", "1"),
    ]
    assert clocks_of(worked_ticket)["resolution"].next_check_at is None
    assert list(verify_all()) == []  # the warnings joined the hash chain properly


def test_contract_warnings_fire_at_their_share_to_their_roles(worked_ticket):
    sweep(utc(2026, 3, 2, 9, 31))
    Outbox.objects.all().delete()
    # 50% of 8 business hours from 09:00Z is 13:00Z: not a second early.
    assert sweep(utc(2026, 3, 2, 12, 59, 59)).warnings == 0
    assert clocks_of(worked_ticket)["resolution"].next_check_at == utc(2026, 3, 2, 13, 0)
    assert sweep(utc(2026, 3, 2, 13, 0)).warnings == 1
    assert recipients_of(worked_ticket) == {"resolver@example.test"}
    Outbox.objects.all().delete()
    # 90% is 7 h 12 min: 16:12Z; the breach comes one open second after 17:00Z (18:00 in Berlin, closing
    # time): Tuesday 08:00:01 in Berlin.
    sweep(utc(2026, 3, 2, 16, 12))
    assert recipients_of(worked_ticket) == {
        "resolver@example.test",
        "team-lead@example.test",
        "customer-manager@example.test",
    }
    assert clocks_of(worked_ticket)["resolution"].next_check_at == utc(2026, 3, 3, 7, 0, 1)


def test_a_late_sweep_fires_everything_reached_in_order(worked_ticket):
    result = sweep(utc(2026, 3, 3, 9, 0))
    assert result.warnings == 4
    assert warnings_of(worked_ticket) == [
        ("response", "1"),
        ("resolution", "1/2"),
        ("resolution", "9/10"),
        ("resolution", "1"),
    ]


def test_a_stopped_or_paused_clock_warns_no_more(worked_ticket, warned_world):
    people = warned_world.people
    actions.reply(worked_ticket, actor=people["resolver"], body="On it.", at=utc(2026, 3, 2, 9, 20))
    actions.change_status(worked_ticket, actor=people["resolver"], status="pending_customer", at=utc(2026, 3, 2, 9, 21))
    assert clocks_of(worked_ticket)["response"].next_check_at is None
    assert clocks_of(worked_ticket)["resolution"].next_check_at is None
    assert sweep(utc(2026, 3, 4, 9, 0)).tickets == 0
    assert warnings_of(worked_ticket) == []


def test_a_raised_priority_makes_reached_warnings_due_at_once(worked_ticket, warned_world):
    actions.reply(worked_ticket, actor=warned_world.people["resolver"], body="On it.", at=utc(2026, 3, 2, 9, 20))
    # P1: 4 h on 24x7; at 11:30Z, 2 h 30 min are used: past 50%, before 90%.
    actions.change_priority(
        worked_ticket,
        actor=warned_world.people["agent"],
        reason="Month-end close",
        priority="P1",
        at=utc(2026, 3, 2, 11, 30),
    )
    resolution = clocks_of(worked_ticket)["resolution"]
    assert resolution.next_check_at == utc(2026, 3, 2, 11, 0)  # 50% of 4 h, reached in the past
    sweep(utc(2026, 3, 2, 11, 30))
    assert warnings_of(worked_ticket) == [("resolution", "1/2")]
    assert clocks_of(worked_ticket)["resolution"].next_check_at == utc(2026, 3, 2, 12, 36)  # 90% of 4 h


def test_the_sweep_recomputes_the_stored_clocks(worked_ticket):
    sweep(utc(2026, 3, 2, 9, 45))
    response = clocks_of(worked_ticket)["response"]
    assert response.state == "breached" and response.elapsed_s == 45 * 60
    assert response.computed_at == utc(2026, 3, 2, 9, 45)
    worked_ticket.refresh_from_db()
    assert worked_ticket.breached


def test_one_tickets_trouble_does_not_hold_up_the_others(warned_world, monkeypatch, caplog):
    first, second = open_ticket(warned_world, title="First"), open_ticket(warned_world, title="Second")
    real_fire = sweep_module.fire_warning

    def fire_but_not_on_first(ticket, clock, threshold, at):
        if ticket.pk == first.pk:
            raise RuntimeError("mail templates missing")
        return real_fire(ticket, clock, threshold, at)

    monkeypatch.setattr(sweep_module, "fire_warning", fire_but_not_on_first)
    result = sweep(utc(2026, 3, 2, 9, 31))
    assert (result.tickets, result.warnings, result.failed) == (1, 1, 1)
    assert warnings_of(first) == [] and warnings_of(second) == [("response", "1")]
    assert "could not be swept" in caplog.text
    assert clocks_of(first)["response"].next_check_at <= utc(2026, 3, 2, 9, 31)  # still due: tried again
