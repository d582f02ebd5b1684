"""The log read straight into the kernel's events must be exactly what parsing the export gives."""

from datetime import timedelta

import pytest
from django.db import connection

from servicepact.desk import actions
from servicepact.desk.eventlog import EpochSeconds, export_lines, kernel_event_log
from servicepact.desk.models import Ticket, TicketEvent
from servicepact.desk.tests.test_eventlog import MONDAY, REFERENCE, quick_password_hashing, worked_tickets  # noqa: F401
from servicepact.sla.contract import load_contract
from servicepact.sla.events import EventLogError, canonical_event_log, parse_event_log


@pytest.fixture
def reference():
    return load_contract(REFERENCE.read_text(), "globex-ito.yaml")


def as_tuples(events_by_ticket):
    return {ticket: [(e.ticket, e.at, e.type, e.data) for e in events] for ticket, events in events_by_ticket.items()}


def test_direct_read_equals_the_parsed_export(worked_tickets, reference):
    parsed = parse_event_log(list(export_lines(Ticket.objects.all())), reference, "export.jsonl")
    direct = kernel_event_log(Ticket.objects.all(), reference)
    assert as_tuples(direct) == as_tuples(parsed)
    assert canonical_event_log(direct) == canonical_event_log(parsed)
    lines = [event.line for events in direct.values() for event in events]
    assert lines == list(range(1, len(lines) + 1))


@pytest.mark.parametrize("cut", [timedelta(minutes=6, seconds=30), timedelta(hours=1, minutes=1), timedelta(hours=2)])
def test_before_keeps_the_events_before_the_instant_and_every_correction(worked_tickets, reference, cut):
    before = MONDAY.replace(microsecond=0) + cut
    exported = list(export_lines(Ticket.objects.all(), before=before))
    direct = kernel_event_log(Ticket.objects.all(), reference, before=before)
    assert as_tuples(direct) == as_tuples(parse_event_log(exported, reference, "period.jsonl"))
    assert all(
        event.at < before.timestamp() for events in direct.values() for event in events if event.type != "corrected"
    )
    whole = kernel_event_log(Ticket.objects.all(), reference)
    assert set(direct) == {ticket for ticket, events in whole.items() if events[0].at < before.timestamp()}
    for ticket, events in direct.items():
        # a correction made at or after the cut counts already: it is about the ticket's whole life
        assert [(e.at, e.type, e.data) for e in events] == [
            (e.at, e.type, e.data) for e in whole[ticket] if e.at < before.timestamp() or e.type == "corrected"
        ]


def test_a_service_the_contract_does_not_know_is_refused(world, reference):
    people = world.people
    actions.create_ticket(
        actor=people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="high",
        urgency="high",
        at=MONDAY,
    )
    narrower = load_contract(
        REFERENCE.read_text().replace("  sap-erp:   {name: SAP ERP, tier: 1, calendar: eu-business}\n", ""),
        "narrower.yaml",
    )
    with pytest.raises(EventLogError, match="INC0000001: service 'sap-erp'"):
        kernel_event_log(Ticket.objects.all(), narrower)


@pytest.mark.parametrize("version", [(3, 37, 2), (3, 40, 1)])
def test_epoch_seconds_on_sqlite_with_and_without_unixepoch(worked_tickets, monkeypatch, version):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite versions matter on SQLite only")
    monkeypatch.setattr(connection.Database, "sqlite_version_info", version)
    rows = TicketEvent.objects.order_by("pk").annotate(second=EpochSeconds("at")).values_list("at", "second")
    assert ("unixepoch" in str(rows.query)) == (version >= (3, 38))
    assert [second for _at, second in rows] == [int(at.timestamp()) for at, _second in rows]
