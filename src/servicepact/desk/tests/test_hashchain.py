"""The hash chain finds events changed, removed or reordered behind the actions' back."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from servicepact.desk import actions
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import Ticket, TicketEvent
from servicepact.evidence import guard

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def two_tickets(world):
    people = world.people
    made = []
    for offset in range(2):
        ticket = actions.create_ticket(
            actor=people["requester"],
            contract=world.contract,
            service=world.services["sap-erp"],
            title=f"Ticket {offset}",
            impact="low",
            urgency="low",
            at=MONDAY + timedelta(hours=offset),
        )
        actions.reply(ticket, actor=people["agent"], body="Looking", at=MONDAY + timedelta(hours=offset, minutes=1))
        actions.add_note(ticket, actor=people["agent"], body="secret", at=MONDAY + timedelta(hours=offset, minutes=2))
        made.append(ticket)
    return made


def run_sql(sql: str, params: list) -> None:
    """Tamper as someone with the database would, past its triggers (servicepact/evidence/guard.py)."""
    with guard.maintenance("test: tampering"), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_whole_chains_verify(two_tickets):
    assert list(verify_all()) == []
    assert list(verify_all(Ticket.objects.filter(pk=two_tickets[1].pk), chunk_size=1)) == []


def test_tampered_event_is_reported_with_expected_and_stored_hash(two_tickets):
    first = two_tickets[0]
    event = first.events.get(seq=2)
    run_sql("UPDATE desk_ticketevent SET data = %s WHERE id = %s", ['{"body": "Fixed long ago"}', event.pk])
    breaks = list(verify_all())
    assert [(found.ticket, found.seq, found.problem) for found in breaks] == [(first.number, 2, "hash")]
    assert breaks[0].stored == event.hash
    assert breaks[0].expected != event.hash


def test_removed_last_event_shows_on_the_ticket_tail(two_tickets):
    second = two_tickets[1]
    run_sql("DELETE FROM desk_ticketevent WHERE ticket_id = %s AND seq = 3", [second.pk])
    problems = {(found.ticket, found.problem) for found in verify_all()}
    assert problems == {(second.number, "event count on the ticket"), (second.number, "last hash on the ticket")}


def test_removed_middle_event_breaks_sequence_and_link(two_tickets):
    first = two_tickets[0]
    run_sql("DELETE FROM desk_ticketevent WHERE ticket_id = %s AND seq = 2", [first.pk])
    problems = [(found.seq, found.problem) for found in verify_all()]
    assert (3, "sequence gap") in problems and (3, "previous hash") in problems


def test_events_refuse_changes_through_the_orm(two_tickets):
    event = TicketEvent.objects.first()
    event.data = {"body": "changed"}
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        TicketEvent.objects.filter(pk=event.pk).update(data={})
