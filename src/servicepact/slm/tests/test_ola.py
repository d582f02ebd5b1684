"""OLA clocks: stored with their team, explained, breached to the team only, never flagging the ticket."""

from datetime import UTC, datetime

from servicepact.desk import actions
from servicepact.desk.models import EventType, TicketEvent
from servicepact.notify.models import Outbox
from servicepact.slm.explain import ticket_clocks
from servicepact.slm.sweep import sweep
from servicepact.slm.tests.conftest import clocks_of, open_ticket, version_with_olas


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_an_ola_clock_belongs_to_its_team_and_breaches_internally(world):
    version_with_olas(world)
    ticket = open_ticket(world)
    assert list(clocks_of(ticket)) == ["response", "resolution"]  # no OLA before the team holds the ticket
    actions.reply(ticket, actor=world.people["agent"], body="Passing this on.", at=utc(2026, 3, 2, 9, 5))
    actions.route_ticket(ticket, actor=world.people["agent"], at=utc(2026, 3, 2, 9, 10))
    actions.set_assignee(
        ticket, actor=world.people["team-lead"], assignee=world.people["resolver"], at=utc(2026, 3, 2, 9, 11)
    )
    ola = clocks_of(ticket)["ola:app-support-cn"]
    assert ola.team == world.teams["app-cn"] and ola.target_s == 7200
    assert ola.due_at == utc(2026, 3, 2, 11, 10) and ola.next_check_at == utc(2026, 3, 2, 11, 10, 1)
    explained = {clock.clock: clock for clock in ticket_clocks(ticket, "Asia/Shanghai", at=utc(2026, 3, 2, 10, 10))}
    assert explained["ola:app-support-cn"].label == "OLA app-support-cn"
    assert explained["ola:app-support-cn"].elapsed_s == 3600

    sweep(utc(2026, 3, 2, 11, 30))
    [warning] = TicketEvent.objects.filter(ticket=ticket, type=EventType.CLOCK_WARNING)
    assert warning.data["clock"] == "ola:app-support-cn" and warning.data["breach"]
    assert {
        address for message in Outbox.objects.filter(key__startswith="clock-warning:") for address in message.recipients
    } == {"resolver@example.test", "team-lead@example.test"}
    ticket.refresh_from_db()
    assert not ticket.breached  # the contract's own clocks are on time
    assert ticket.due_at == utc(2026, 3, 2, 17, 0)
