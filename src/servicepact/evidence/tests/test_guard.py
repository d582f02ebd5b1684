"""The database itself refuses UPDATE and DELETE of written-once rows, whatever sends them (raw SQL here).

Runs on SQLite and, with DATABASE_URL, on PostgreSQL; each refused statement runs in a savepoint so that
PostgreSQL's aborted transaction does not end the test.
"""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.desk import actions
from servicepact.desk.models import IssuedNumber, TicketEvent
from servicepact.evidence import guard
from servicepact.slm.models import ReportLog, StoredReport
from servicepact.slm.reporting.generation import ReportRequest, generate_report

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def history(world):
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
        at=MONDAY,
    )
    actions.reply(ticket, actor=world.people["agent"], body="Looking", at=MONDAY.replace(minute=5))
    report = generate_report(ReportRequest(world.contract, "weekly", "2026-W10"))
    return ticket, report


def sql(statement: str, params: list | None = None) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def refused(statement: str, params: list | None = None) -> str:
    with pytest.raises(IntegrityError) as raised:
        sql(statement, params)
    return str(raised.value)


RAW_CHANGES = [
    ("UPDATE desk_ticketevent SET data = '{}' WHERE seq = 2", "desk_ticketevent", "UPDATE"),
    ("DELETE FROM desk_ticketevent WHERE seq = 2", "desk_ticketevent", "DELETE"),
    ("DELETE FROM desk_ticketevent", "desk_ticketevent", "DELETE"),
    ("UPDATE desk_issuednumber SET issued_at = NULL", "desk_issuednumber", "UPDATE"),
    ("DELETE FROM desk_issuednumber", "desk_issuednumber", "DELETE"),
    ("UPDATE slm_storedreport SET body = '{}'", "slm_storedreport", "UPDATE"),
    ("DELETE FROM slm_storedreport", "slm_storedreport", "DELETE"),
    ("DELETE FROM slm_storedreport_input_versions", "slm_storedreport_input_versions", "DELETE"),
    ("UPDATE slm_reportlog SET size = 0", "slm_reportlog", "UPDATE"),
    ("DELETE FROM slm_reportlog", "slm_reportlog", "DELETE"),
    (
        "UPDATE contracts_contractversion SET source = 'contract: {}' WHERE status = 'signed'",
        "contracts_contractversion",
        "UPDATE",
    ),
    ("DELETE FROM contracts_contractversion WHERE status = 'signed'", "contracts_contractversion", "DELETE"),
]


@pytest.mark.parametrize("statement, table, operation", RAW_CHANGES, ids=[change[0][:60] for change in RAW_CHANGES])
def test_raw_sql_changes_of_written_once_rows_are_refused(history, statement, table, operation):
    events, reports = TicketEvent.objects.count(), StoredReport.objects.count()
    message = refused(statement)
    assert f"servicepact: {table} rows are written once; {operation} refused" in message
    assert (TicketEvent.objects.count(), StoredReport.objects.count()) == (events, reports)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's; SQLite has none")
def test_truncate_is_refused_on_postgresql(history):
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # else the test's own inserts leave foreign-key checks pending
    message = refused("TRUNCATE desk_ticketevent CASCADE")
    assert "desk_ticketevent rows are written once; TRUNCATE refused" in message


def test_a_draft_version_still_changes_and_signing_it_passes(world):
    draft = ContractVersion.objects.create(
        contract=world.contract,
        number=2,
        source=world.version.source,
        sha256=world.version.sha256,
        effective_from=world.version.effective_from,
    )
    assert sql("UPDATE contracts_contractversion SET effective_to = '2027-12-31' WHERE id = %s", [draft.pk]) == 1
    assert sql("UPDATE contracts_contractversion SET status = 'signed' WHERE id = %s", [draft.pk]) == 1
    refused("UPDATE contracts_contractversion SET status = 'draft' WHERE id = %s", [draft.pk])
    refused("DELETE FROM contracts_contractversion WHERE id = %s", [draft.pk])
    assert ContractVersion.objects.get(pk=draft.pk).status == VersionStatus.SIGNED
    other = ContractVersion.objects.create(
        contract=world.contract,
        number=3,
        source=world.version.source,
        sha256=world.version.sha256,
        effective_from=world.version.effective_from,
    )
    assert sql("DELETE FROM contracts_contractversion WHERE id = %s", [other.pk]) == 1


def test_inserting_stays_allowed(history):
    ticket, _ = history
    actions.reply(ticket, actor=ticket.requester, body="Still failing", at=MONDAY.replace(minute=9))
    assert ticket.events.count() == 3


def test_the_maintenance_path_passes_only_inside_its_block(history):
    ticket, _ = history
    with guard.maintenance("test: repair"):
        assert sql("UPDATE desk_ticketevent SET public = public WHERE ticket_id = %s", [ticket.pk]) == 2
    assert guard.problems() == [], "the gate row is deleted before the block ends"
    refused("UPDATE desk_ticketevent SET public = public WHERE ticket_id = %s", [ticket.pk])
    with pytest.raises(ZeroDivisionError), guard.maintenance("test: failed repair"):
        sql("DELETE FROM desk_ticketevent WHERE ticket_id = %s", [ticket.pk])
        raise ZeroDivisionError
    assert ticket.events.count() == 2, "a failed block rolls back, its changes and its gate"


def test_every_written_once_table_is_guarded(db):
    tables = guard.guarded_tables()
    assert {
        "desk_ticketevent",
        "desk_issuednumber",
        "slm_storedreport",
        "slm_storedreport_input_versions",
        "slm_reportlog",
        "slm_restatement",
        "contracts_contractversion",
    } <= set(tables)
    assert guard.problems() == []


def test_a_missing_trigger_and_a_committed_gate_are_problems(db):
    name = "write_once_desk_ticketevent_delete" if connection.vendor == "sqlite" else "write_once_delete"
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f'DROP TRIGGER "{name}"')
            else:
                cursor.execute(f"DROP TRIGGER {name} ON desk_ticketevent")
            cursor.execute(f"INSERT INTO {guard.MAINTENANCE_TABLE} VALUES ('x', 'left open', '2026-03-02')")
        found = guard.problems()
        transaction.set_rollback(True)
    assert "desk_ticketevent: no trigger refuses DELETE" in found
    assert any("the maintenance gate is open for everyone" in problem for problem in found)
    assert guard.problems() == []


@pytest.mark.django_db(transaction=True)
def test_flush_empties_written_once_tables_through_the_maintenance_path(world):
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
        at=MONDAY,
    )
    assert IssuedNumber.objects.filter(number=ticket.number).exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not TicketEvent.objects.exists() and not IssuedNumber.objects.exists()
    assert not ReportLog.objects.exists() and not ContractVersion.objects.exists()
    assert guard.problems() == []
