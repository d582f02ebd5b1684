"""Every ticket number handed out is in the ledger, hash-chained per kind, with the instant it was issued."""

import importlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone as django_timezone

from servicepact.desk import actions
from servicepact.desk.models import IssuedNumber, TicketCounter
from servicepact.desk.numbering import next_number, verify_ledger
from servicepact.evidence import guard

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def open_ticket(world, title: str = "Posting fails", kind: str = "incident"):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        kind=kind,
        service=world.services["sap-erp"],
        title=title,
        impact="low",
        urgency="low",
        at=MONDAY,
    )


def test_each_number_is_recorded_with_its_instant_and_chained(world):
    before = django_timezone.now()
    first, second = open_ticket(world), open_ticket(world, "Again")
    request = open_ticket(world, "Laptop", kind="request")
    ledger = list(IssuedNumber.objects.order_by("kind", "value"))
    assert [(issued.number, issued.value) for issued in ledger] == [
        (first.number, 1),
        (second.number, 2),
        (request.number, 1),
    ]
    assert all(before <= issued.issued_at <= django_timezone.now() for issued in ledger)
    assert ledger[0].prev_hash == "" and ledger[1].prev_hash == ledger[0].hash and ledger[2].prev_hash == ""
    assert all(issued.hash == issued.compute_hash() for issued in ledger)
    counter = TicketCounter.objects.get(kind="incident")
    assert (counter.last, counter.last_hash) == (2, ledger[1].hash)
    assert list(verify_ledger()) == []


def test_a_rolled_back_creation_leaves_no_entry(world):
    open_ticket(world)
    with transaction.atomic():
        number = next_number("incident", at=MONDAY)
        assert IssuedNumber.objects.filter(number=number).exists()
        transaction.set_rollback(True)
    assert not IssuedNumber.objects.filter(number=number).exists()
    assert open_ticket(world, "Again").number == number
    assert list(verify_ledger()) == []


def test_an_entry_removed_or_changed_breaks_the_ledger(world):
    tickets = [open_ticket(world, f"Ticket {n}") for n in range(3)]
    with guard.maintenance("test: tampering"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM desk_issuednumber WHERE number = %s", [tickets[1].number])
        cursor.execute("UPDATE desk_issuednumber SET issued_at = %s WHERE number = %s", [MONDAY, tickets[2].number])
    problems = [str(found) for found in verify_ledger()]
    assert f"{tickets[1].number}: missing from the ledger of issued numbers" in problems
    assert any(problem.startswith(f"{tickets[2].number}: ledger: previous hash") for problem in problems)
    assert any(problem.startswith(f"{tickets[2].number}: ledger: hash") for problem in problems)


def test_a_counter_moved_back_is_named(world):
    open_ticket(world), open_ticket(world, "Again")
    TicketCounter.objects.filter(kind="incident").update(last=1)
    assert "ledger of incident: the counter says 1, the ledger holds 2" in [str(found) for found in verify_ledger()]


def test_the_migration_records_the_numbers_issued_before_the_ledger(world):
    kept, gone = open_ticket(world), open_ticket(world, "Deleted before the ledger")
    with guard.maintenance("test: a database from before the ledger"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM desk_issuednumber")
        cursor.execute("UPDATE desk_ticketcounter SET last_hash = ''")
        cursor.execute("DELETE FROM desk_ticketevent WHERE ticket_id = %s", [gone.pk])
        cursor.execute("DELETE FROM desk_ticketteam WHERE ticket_id = %s", [gone.pk])
        cursor.execute("DELETE FROM slm_clockstate WHERE ticket_id = %s", [gone.pk])
        cursor.execute("DELETE FROM notify_outbox WHERE ticket_id = %s", [gone.pk])
        cursor.execute("DELETE FROM desk_ticket WHERE id = %s", [gone.pk])
    migration = importlib.import_module("servicepact.desk.migrations.0005_issued_numbers")
    migration.record_issued_numbers(apps, None)
    ledger = {issued.number: issued for issued in IssuedNumber.objects.all()}
    assert ledger[kept.number].issued_at == kept.created_at
    assert ledger[gone.number].issued_at is None
    assert [str(found) for found in verify_ledger()] == [f"{gone.number}: issued before the ledger was kept, missing"]


@pytest.mark.parametrize("offset", [timedelta(0)])
def test_the_instant_given_is_kept_in_utc(world, offset):
    with transaction.atomic():
        number = next_number("request", at=MONDAY.astimezone(timezone(timedelta(hours=8))) + offset)
    assert IssuedNumber.objects.get(number=number).issued_at == MONDAY
