"""Each event's stored canonical line must be the kernel's canonical form of that event, computed afresh."""

import importlib

import pytest
from django.db import connection

from servicepact.desk.eventlog import kernel_event_log
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import Ticket, TicketEvent
from servicepact.desk.tests.test_eventlog import REFERENCE, quick_password_hashing, worked_tickets  # noqa: F401
from servicepact.evidence import guard
from servicepact.sla.contract import load_contract
from servicepact.sla.events import canonical_event_log

backfill = importlib.import_module("servicepact.desk.migrations.0008_event_canonical_line")


@pytest.fixture
def reference():
    return load_contract(REFERENCE.read_text(), "globex-ito.yaml")


def stored_log() -> bytes:
    lines = TicketEvent.objects.order_by("ticket__number", "seq").values_list("canonical", flat=True)
    return b"".join(bytes(line) for line in lines)


def test_every_written_event_keeps_its_canonical_line(worked_tickets, reference):
    assert not TicketEvent.objects.filter(canonical__isnull=True).exists()
    # notes and the requester's replies are not the kernel's: an empty line
    assert TicketEvent.objects.filter(type="note").values_list("canonical", flat=True).get() == b""
    assert stored_log() == canonical_event_log(kernel_event_log(Ticket.objects.all(), reference))


def test_the_migration_fills_the_same_lines(worked_tickets, reference):
    written = stored_log()
    with guard.maintenance("test: forget the canonical lines"):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE desk_ticketevent SET canonical = NULL")
    assert TicketEvent.objects.filter(canonical__isnull=False).count() == 0

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    from django.apps import apps

    backfill.fill_canonical_lines(apps, editor)
    assert stored_log() == written


def test_a_drifted_line_no_longer_equals_the_fresh_canonical_form(worked_tickets, reference):
    event = TicketEvent.objects.filter(type="created").order_by("pk").first()
    with guard.maintenance("test: tamper with a canonical line"):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE desk_ticketevent SET canonical = %s WHERE id = %s",
                [bytes(event.canonical).replace(b'"P', b'"Q'), event.pk],
            )
    assert stored_log() != canonical_event_log(kernel_event_log(Ticket.objects.all(), reference))
    # the line is not under the hash: verification computes it afresh and names the event
    breaks = list(verify_all())
    assert [(found.ticket, found.seq, found.problem) for found in breaks] == [
        (event.ticket.number, event.seq, "canonical line")
    ]
    assert breaks[0].expected == bytes(event.canonical).decode().rstrip("\n")


def test_verification_passes_on_the_lines_as_written(worked_tickets):
    assert list(verify_all()) == []
