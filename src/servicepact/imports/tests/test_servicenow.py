"""ServiceNow's incident audit layout, on an export built here: what each kind of update becomes."""

import orjson
import pytest

from servicepact.desk.eventlog import export_lines
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import EventType, Ticket, TicketEvent, TicketTeam
from servicepact.desk.numbering import verify_ledger
from servicepact.imports.actions import import_history
from servicepact.imports.models import ImportedTicket, RunStatus
from servicepact.imports.tests.conftest import servicenow_row as row
from servicepact.imports.tests.conftest import write_servicenow
from servicepact.sla.events import parse_event_log
from servicepact.slm.models import ClockState

A = "0000001"
B = "0000002"


def rows_of_a() -> list[list[str]]:
    return [
        row(A, "New", 0, "29/2/2016 01:23"),
        row(A, "Active", 1, "29/2/2016 02:00", group="24"),
        row(A, "Active", 2, "29/2/2016 03:00", group="?"),
        row(A, "Awaiting Problem", 3, "29/2/2016 04:00", group="24"),
        row(A, "Awaiting Problem", 4, "29/2/2016 05:00", group="24", impact="1", priority="2"),
        row(A, "Awaiting Problem", 5, "29/2/2016 06:00", group="24", impact="1", priority="2", subcategory="171"),
        row(A, "Resolved", 6, "29/2/2016 07:00", group="24", impact="1", priority="2", subcategory="171"),
        row(A, "Active", 7, "29/2/2016 08:00", group="24", impact="1", priority="2", subcategory="171"),
        row(A, "-100", 8, "29/2/2016 08:30", group="24", impact="1", priority="2", subcategory="171"),
        row(A, "Resolved", 9, "29/2/2016 09:00", group="24", impact="1", priority="2", subcategory="171"),
        row(A, "Closed", 10, "5/3/2016 12:00", group="24", impact="1", priority="2", subcategory="171"),
        row(A, "Closed", 11, "6/3/2016 12:00", group="70", impact="1", priority="2", subcategory="171"),
        row(A, "Active", 12, "7/3/2016 12:00", group="70", impact="1", priority="2", subcategory="171"),
        row(A, "Closed", 13, "8/3/2016 12:00", group="70", impact="1", priority="2", subcategory="171"),
    ]


def rows_of_b() -> list[list[str]]:
    # Opened at 00:30 on the night Sao Paulo skipped from midnight to 01:00 (read with the offset before
    # the change, -03:00); its first update is dated before its opening.
    opened = "16/10/2016 00:30"
    return [
        row(B, "New", 0, "15/10/2016 23:00", opened=opened, group="?", caller="77"),
        row(B, "Resolved", 1, "16/10/2016 02:00", opened=opened, group="?", caller="77", made_sla="false"),
    ]


@pytest.fixture
def imported(tmp_path, history_contract, importer, servicenow_mapping):
    path = write_servicenow(tmp_path / "incidents.csv", rows_of_a() + rows_of_b())
    run = import_history(
        actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping, tool="servicenow"
    )
    return run


def exported(reference: str) -> list[dict]:
    ticket = ImportedTicket.objects.get(reference=reference).ticket
    lines = [orjson.loads(line) for line in export_lines(Ticket.objects.filter(pk=ticket.pk))]
    for line in lines:
        assert line.pop("ticket") == ticket.number
    return lines


def test_each_kind_of_update_becomes_its_event(imported):
    assert exported(A) == [
        {
            "at": "2016-02-29T04:16:00Z",
            "type": "created",
            "priority": "P3",
            "service": "sap-erp",
            "team": "sn-group-56",
            "category": "sn-170",
        },
        {"at": "2016-02-29T05:00:00Z", "type": "assigned", "team": "sn-group-24"},
        {"at": "2016-02-29T05:00:00Z", "type": "responded"},
        {"at": "2016-02-29T05:00:00Z", "type": "status", "status": "in_progress"},
        {"at": "2016-02-29T06:00:00Z", "type": "unassigned"},
        {"at": "2016-02-29T07:00:00Z", "type": "assigned", "team": "sn-group-24"},
        {"at": "2016-02-29T07:00:00Z", "type": "status", "status": "pending_problem"},
        {"at": "2016-02-29T08:00:00Z", "type": "priority", "priority": "P2"},
        {"at": "2016-02-29T09:00:00Z", "type": "corrected", "category": "sn-171"},
        {"at": "2016-02-29T10:00:00Z", "type": "status", "status": "resolved"},
        {"at": "2016-02-29T11:00:00Z", "type": "status", "status": "in_progress"},
        {"at": "2016-02-29T12:00:00Z", "type": "status", "status": "resolved"},
        {"at": "2016-03-05T15:00:00Z", "type": "status", "status": "closed"},
        {"at": "2016-03-06T15:00:00Z", "type": "amended", "changes": {"team": "sn-group-70"}},
        {"at": "2016-03-07T15:00:00Z", "type": "amended", "changes": {"status": "in_progress"}},
        {"at": "2016-03-08T15:00:00Z", "type": "amended", "changes": {"status": "closed"}},
    ]


def test_the_ticket_row_is_the_projection_of_its_history(imported):
    ticket = ImportedTicket.objects.select_related("ticket__team", "ticket__requester").get(reference=A).ticket
    assert (ticket.status, ticket.team.slug, ticket.category, ticket.priority, ticket.impact, ticket.urgency) == (
        "closed",
        "sn-group-24",
        "sn-171",
        "P2",
        "high",
        "medium",
    )
    assert (ticket.reopen_count, ticket.closed_at.isoformat(), ticket.responded_at.isoformat()) == (
        1,
        "2016-03-05T15:00:00+00:00",
        "2016-02-29T05:00:00+00:00",
    )
    assert not ticket.requester.is_active and ticket.requester.organization_id == ticket.customer_id
    assert ticket.contract_version.number == 1
    assert sorted(TicketTeam.objects.filter(ticket=ticket).values_list("team__slug", flat=True)) == [
        "sn-group-24",
        "sn-group-56",
    ]
    assert set(ClockState.objects.filter(ticket=ticket).values_list("clock", "state")) == {
        ("response", "met"),
        ("resolution", "met"),
    }


def test_the_created_event_says_who_imported_it_from_which_file(imported, importer):
    ticket = ImportedTicket.objects.get(reference=A).ticket
    created = TicketEvent.objects.get(ticket=ticket, seq=1)
    assert created.type == EventType.CREATED and created.actor is None
    origin = created.data["imported"]
    assert origin == {
        "source": "servicenow",
        "system": "servicenow",
        "reference": A,
        "file": "incidents.csv",
        "file_sha256": imported.file_sha256,
        "mapping_sha256": imported.mapping_sha256,
        "by": importer.email,
        "run": imported.pk,
    }
    assert imported.status == RunStatus.DONE and (imported.imported, imported.skipped) == (2, 0)


def test_times_without_a_zone_are_the_mappings_zone_and_early_rows_are_taken_at_the_opening(imported):
    lines = exported(B)
    assert [(line["at"], line["type"]) for line in lines] == [
        ("2016-10-16T03:30:00Z", "created"),
        ("2016-10-16T04:00:00Z", "status"),
    ]
    assert "team" not in lines[0]  # opened in no team's queue
    assert imported.report["approximations"]["clamped"] == 1


def test_verdicts_of_the_source_are_kept(imported):
    assert ImportedTicket.objects.get(reference=A).verdicts == {"resolution": "met"}
    assert ImportedTicket.objects.get(reference=B).verdicts == {"resolution": "breached"}


def test_chains_and_ledger_verify_and_the_export_is_a_valid_log(imported, history_contract):
    assert list(verify_all()) == []
    assert list(verify_ledger()) == []
    log = b"".join(export_lines(Ticket.objects.filter(contract=history_contract)))
    terms = history_contract.versions.get().kernel()
    assert len(parse_event_log(log.splitlines(), terms, "export")) == 2


def test_the_report_says_what_was_approximated(imported):
    approximations = imported.report["approximations"]
    assert approximations["after_close"] == 3
    assert approximations["corrections"] == 1
    assert approximations["ignored_states"] == 1
    assert approximations["responses_inferred"] == 1
    assert approximations["no_response"] == 1
