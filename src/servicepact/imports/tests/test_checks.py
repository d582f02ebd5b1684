"""The dry run changes nothing and lists every unmapped value and bad row; bad input is refused, naming the
line and the field, with nothing changed; a second run imports nothing twice; an interrupted run goes on."""

import pytest
from django.core.exceptions import PermissionDenied

from servicepact.accounts.models import Team, User
from servicepact.desk.models import IssuedNumber, Ticket, TicketEvent, TicketTeam
from servicepact.imports import execution
from servicepact.imports.actions import ImportRefused, check_import, import_history
from servicepact.imports.models import ImportedTicket, ImportRun, RunStatus
from servicepact.imports.tests.conftest import servicenow_row as row
from servicepact.imports.tests.conftest import write_servicenow
from servicepact.slm.models import ClockState


def snapshot() -> tuple:
    return tuple(
        model.objects.count()
        for model in (Ticket, TicketEvent, TicketTeam, ClockState, IssuedNumber, ImportRun, ImportedTicket, Team, User)
    )


def clean_rows() -> list[list[str]]:
    return [
        row("0000001", "New", 0, "29/2/2016 01:23"),
        row("0000001", "Resolved", 1, "29/2/2016 03:00"),
        row("0000002", "New", 0, "29/2/2016 02:00", opened="29/2/2016 02:00", caller="99"),
        row("0000003", "Active", 0, "1/3/2016 10:00", opened="1/3/2016 09:00", group="70"),
    ]


def test_a_dry_run_reports_what_would_happen_and_changes_nothing(
    tmp_path, history_contract, importer, servicenow_mapping
):
    path = write_servicenow(tmp_path / "export.csv", clean_rows())
    before = snapshot()
    report = check_import(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    assert snapshot() == before
    assert report.ok
    assert (report.rows, report.tickets, report.new, report.skipped, report.closed, report.open) == (4, 3, 3, 0, 0, 3)
    assert report.creates_teams == ["sn-group-56", "sn-group-70"] and report.creates_requesters == 2


def test_unmapped_values_are_listed_with_their_counts_and_the_import_is_refused(
    tmp_path, history_contract, importer, servicenow_mapping
):
    rows = clean_rows() + [
        row("0000004", "Awaiting Approval", 0, "2/3/2016 10:00", opened="2/3/2016 10:00"),
        row("0000005", "Awaiting Approval", 0, "2/3/2016 11:00", opened="2/3/2016 11:00", impact="5"),
        row("0000006", "New", 0, "2/3/2016 12:00", opened="2/3/2016 12:00", priority="9"),
    ]
    path = write_servicenow(tmp_path / "export.csv", rows)
    report = check_import(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    assert not report.ok
    assert report.unmapped_rows() == [
        {"vocabulary": "impacts", "value": "5", "tickets": 1, "why": "not listed, and the map has no default"},
        {"vocabulary": "priorities", "value": "9", "tickets": 1, "why": "not listed, and the map has no default"},
        {
            "vocabulary": "statuses",
            "value": "Awaiting Approval",
            "tickets": 2,
            "why": "not listed, and the map has no default",
        },
    ]
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        import_history(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    assert snapshot() == before
    assert refused.value.report.unmapped["statuses"] == {"Awaiting Approval": 2}


def test_bad_rows_are_named_by_line_and_column_and_nothing_changes(
    tmp_path, history_contract, importer, servicenow_mapping
):
    rows = clean_rows() + [
        row("0000007", "New", 0, "31/2/2016 10:00", opened="2/3/2016 10:00"),
        row("", "New", 0, "2/3/2016 10:00"),
        row("0000001", "Closed", 2, "5/3/2016 12:00"),
    ]
    path = write_servicenow(tmp_path / "export.csv", rows)
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        import_history(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    assert snapshot() == before
    assert [str(bad) for bad in refused.value.report.bad_rows] == [
        "line 6, sys_updated_at: '31/2/2016 10:00' is not a time like 29/02/2016 13:05 (%d/%m/%Y %H:%M)",
        "line 7, number: no ticket number",
        "line 8, number: ticket 0000001 (first on line 2) comes back after other tickets' rows; sort the export by number",
    ]


def test_a_ticket_opened_before_any_version_is_named(tmp_path, world, importer, servicenow_mapping):
    path = write_servicenow(tmp_path / "export.csv", clean_rows())
    report = check_import(actor=importer, contract=world.contract, path=path, mapping=servicenow_mapping)
    assert report.ticket_problem_count == 3
    assert report.ticket_problems[0] == (
        2,
        "0000001",
        "opened on 2016-02-29, when no signed version of contract globex-ito was in force",
    )


def test_a_file_that_is_not_the_layout_is_refused_with_its_line(
    tmp_path, history_contract, importer, servicenow_mapping
):
    path = tmp_path / "other.csv"
    path.write_text("ticket,when\nA,today\n")
    report = check_import(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    assert report.error == (
        "line 1: the header has no column for reference (column 'number'), at (column "
        "'sys_updated_at'); name it under source.columns"
    )


def test_only_the_parties_administrators_may_import(tmp_path, history_contract, world, servicenow_mapping):
    path = write_servicenow(tmp_path / "export.csv", clean_rows())
    for person in ("agent", "analyst", "customer-manager", "other-manager"):
        with pytest.raises(PermissionDenied):
            check_import(actor=world.people[person], contract=history_contract, path=path, mapping=servicenow_mapping)


def test_a_second_run_imports_nothing_twice(tmp_path, history_contract, importer, servicenow_mapping):
    path = write_servicenow(tmp_path / "export.csv", clean_rows())
    first = import_history(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    after_first = snapshot()
    second = import_history(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    assert (first.imported, second.imported, second.skipped) == (3, 0, 3)
    assert second.pk != first.pk and second.status == RunStatus.DONE
    assert snapshot()[:7] == after_first[:5] + (after_first[5] + 1, after_first[6])
    # A longer export of the same system brings only what is new.
    longer = write_servicenow(
        tmp_path / "longer.csv", clean_rows() + [row("0000008", "New", 0, "3/3/2016 10:00", opened="3/3/2016 10:00")]
    )
    third = import_history(actor=importer, contract=history_contract, path=longer, mapping=servicenow_mapping)
    assert (third.imported, third.skipped) == (1, 3)


def test_an_interrupted_run_goes_on_where_it_stopped(
    tmp_path, history_contract, importer, servicenow_mapping, monkeypatch
):
    path = write_servicenow(tmp_path / "export.csv", clean_rows())
    monkeypatch.setattr(execution, "BATCH", 1)
    calls = {"count": 0}
    write = execution.BatchWriter.write

    def failing_write(self, plans):
        calls["count"] += 1
        if calls["count"] == 2:
            raise RuntimeError("worker killed")
        return write(self, plans)

    monkeypatch.setattr(execution.BatchWriter, "write", failing_write)
    with pytest.raises(RuntimeError):
        import_history(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    run = ImportRun.objects.get()
    assert (run.status, run.imported, ImportedTicket.objects.count()) == (RunStatus.FAILED, 1, 1)
    monkeypatch.setattr(execution.BatchWriter, "write", write)
    again = import_history(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    assert again.pk == run.pk and again.status == RunStatus.DONE
    assert (again.imported, again.skipped, Ticket.objects.count()) == (2, 1, 3)
