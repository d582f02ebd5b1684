"""Jira Service Management's JSON export, CSV exports (a row per change, a row per ticket) and ServiceNow's
sys_audit and metric exports, each built here and imported into the world's contract."""

import json

import orjson
import pytest

from servicepact.desk.eventlog import export_lines
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import EventType, Ticket, TicketEvent
from servicepact.imports.actions import import_history
from servicepact.imports.mapping import load_mapping
from servicepact.imports.models import ImportedTicket
from servicepact.imports.tests.conftest import csv_text


def exported(reference: str) -> list[tuple[str, str, dict]]:
    ticket = ImportedTicket.objects.get(reference=reference).ticket
    found = []
    for line in export_lines(Ticket.objects.filter(pk=ticket.pk)):
        event = orjson.loads(line)
        found.append((event.pop("at"), event.pop("type"), {k: v for k, v in event.items() if k != "ticket"}))
    return found


def run(world, tmp_path, name: str, content: str, mapping_text: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    mapping = load_mapping(mapping_text)
    return import_history(actor=world.people["administrator"], contract=world.contract, path=path, mapping=mapping)


# -- Jira Service Management ------------------------------------------------------------------------------

JIRA_MAPPING = """
mapping: jira-service-management
source:
  tool: jira
  timezone: Europe/Berlin
  columns: {group: fields.customfield_10040, service: fields.customfield_10020, impact: fields.customfield_10004}
  fields: {customfield_10040: group}
statuses:
  values: {Open: new, In Progress: in_progress, Waiting for customer: pending_customer, Resolved: resolved, Done: closed}
priorities:
  values: {Highest: P1, High: P2, Medium: P3, Low: P4}
impacts: {values: {Significant: high, Moderate: medium}, default: medium}
services: {from: service, values: {SAP: sap-erp, SSO: sso}}
teams: {values: {Service desk: service-desk, Team A: app-support-cn}}
requesters: {}
assignees: {values: {Ravi Resolver: resolver@example.test}}
response: {sla: Time to first response}
sla: {Time to resolution: resolution}
"""


def millis(text: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(text).timestamp() * 1000)


def jira_issue(key: str) -> dict:
    return {
        "key": key,
        "fields": {
            "created": "2026-03-02T09:00:00.000+0100",
            "summary": "VPN down for the plant",
            "status": {"name": "Done"},
            "priority": {"name": "High"},
            "reporter": {"emailAddress": "requester@example.test"},
            "assignee": {"displayName": "Ravi Resolver"},
            "customfield_10020": {"value": "SAP"},
            "customfield_10040": {"value": "Team A"},
            "customfield_10004": {"value": "Significant"},
            "customfield_10030": {
                "id": "30",
                "name": "Time to first response",
                "ongoingCycle": None,
                "completedCycles": [
                    {
                        "startTime": {"epochMillis": millis("2026-03-02T09:00:00+01:00")},
                        "stopTime": {"epochMillis": millis("2026-03-02T09:20:00+01:00")},
                        "breached": False,
                    }
                ],
            },
            "customfield_10031": {
                "id": "31",
                "name": "Time to resolution",
                "ongoingCycle": None,
                "completedCycles": [{"breached": True}],
            },
        },
        "changelog": {
            "histories": [
                {
                    "created": "2026-03-02T09:30:00.000+0100",
                    "items": [
                        {"field": "status", "fieldId": "status", "fromString": "Open", "toString": "In Progress"},
                        {
                            "field": "Team",
                            "fieldId": "customfield_10040",
                            "fromString": "Service desk",
                            "toString": "Team A",
                        },
                    ],
                },
                {
                    "created": "2026-03-02T10:00:00.000+0100",
                    "items": [{"field": "priority", "fieldId": "priority", "fromString": "Medium", "toString": "High"}],
                },
                {
                    "created": "2026-03-02T12:00:00.000+0100",
                    "items": [
                        {"field": "status", "fieldId": "status", "fromString": "In Progress", "toString": "Resolved"}
                    ],
                },
                {
                    "created": "2026-03-03T09:00:00.000+0100",
                    "items": [
                        {"field": "status", "fieldId": "status", "fromString": "Resolved", "toString": "Done"},
                        {"field": "labels", "fromString": "", "toString": "vpn"},
                    ],
                },
            ]
        },
    }


def test_jira_issues_with_changelog_and_sla_fields(world, tmp_path):
    export = json.dumps({"startAt": 0, "total": 1, "issues": [jira_issue("ITSM-7")]})
    imported = run(world, tmp_path, "jira.json", export, JIRA_MAPPING)
    assert imported.imported == 1
    assert exported("ITSM-7") == [
        ("2026-03-02T08:00:00Z", "created", {"priority": "P3", "service": "sap-erp", "team": "service-desk"}),
        ("2026-03-02T08:20:00Z", "responded", {}),
        ("2026-03-02T08:30:00Z", "assigned", {"team": "app-support-cn"}),
        ("2026-03-02T08:30:00Z", "status", {"status": "in_progress"}),
        ("2026-03-02T09:00:00Z", "priority", {"priority": "P2"}),
        ("2026-03-02T11:00:00Z", "status", {"status": "resolved"}),
        ("2026-03-03T08:00:00Z", "status", {"status": "closed"}),
    ]
    source = ImportedTicket.objects.select_related("ticket__requester", "ticket__assignee").get(reference="ITSM-7")
    ticket = source.ticket
    assert (ticket.title, ticket.requester.email, ticket.assignee.email, ticket.impact) == (
        "VPN down for the plant",
        "requester@example.test",
        "resolver@example.test",
        "high",
    )
    assert source.verdicts == {"resolution": "breached"}
    assert TicketEvent.objects.filter(ticket=ticket, type=EventType.ASSIGNEE).count() == 1


# -- CSV -----------------------------------------------------------------------------------------------------

CSV_MAPPING = """
mapping: spreadsheet
source: {tool: csv, layout: %s, timezone: Europe/Berlin, time_format: "%%Y-%%m-%%d %%H:%%M"}
statuses: {values: {new: new, in progress: in_progress, waiting: pending_customer, solved: resolved, closed: closed}}
priorities: {values: {P1: P1, P2: P2, P3: P3, P4: P4}}
services: {from: service, values: {SAP: sap-erp, SSO: sso}}
categories: {from: category, values: {hardware: hardware-onsite}}
teams: {values: {desk: service-desk, app: app-support-cn}}
requesters: {default: placeholder}
"""


def test_csv_one_row_per_change(world, tmp_path):
    header = ["reference", "at", "state", "priority", "group", "service", "category", "requester"]
    rows = [
        ["T-1", "2026-03-02 09:00", "new", "P3", "desk", "SAP", "", "requester@example.test"],
        ["T-1", "2026-03-02 09:30", "in progress", "", "app", "", "", ""],
        ["T-1", "2026-03-02 10:00", "waiting", "", "(none)", "", "", ""],
        ["T-1", "2026-03-02 10:30", "in progress", "P2", "app", "", "hardware", ""],
        ["T-1", "2026-03-02 11:00", "solved", "", "", "SSO", "", ""],
    ]
    imported = run(world, tmp_path, "changes.csv", csv_text(header, rows), CSV_MAPPING % "events")
    assert imported.imported == 1
    assert exported("T-1") == [
        ("2026-03-02T08:00:00Z", "created", {"priority": "P3", "service": "sap-erp", "team": "service-desk"}),
        ("2026-03-02T08:30:00Z", "assigned", {"team": "app-support-cn"}),
        ("2026-03-02T08:30:00Z", "status", {"status": "in_progress"}),
        ("2026-03-02T09:00:00Z", "unassigned", {}),
        ("2026-03-02T09:00:00Z", "status", {"status": "pending_customer"}),
        ("2026-03-02T09:30:00Z", "corrected", {"category": "hardware-onsite"}),
        ("2026-03-02T09:30:00Z", "priority", {"priority": "P2"}),
        ("2026-03-02T09:30:00Z", "assigned", {"team": "app-support-cn"}),
        ("2026-03-02T09:30:00Z", "status", {"status": "in_progress"}),
        ("2026-03-02T10:00:00Z", "corrected", {"service": "sso"}),
        ("2026-03-02T10:00:00Z", "status", {"status": "resolved"}),
    ]
    ticket = ImportedTicket.objects.get(reference="T-1").ticket
    assert (ticket.requester.email, ticket.status, ticket.service.key) == ("requester@example.test", "resolved", "sso")


def test_csv_one_row_per_ticket(world, tmp_path):
    header = [
        "reference",
        "opened_at",
        "responded_at",
        "resolved_at",
        "closed_at",
        "state",
        "priority",
        "group",
        "service",
        "title",
    ]
    rows = [
        [
            "T-1",
            "2026-03-02 09:00",
            "2026-03-02 09:10",
            "2026-03-02 12:00",
            "2026-03-03 09:00",
            "closed",
            "P2",
            "app",
            "SAP",
            "Posting fails",
        ],
        ["T-2", "2026-03-02 10:00", "", "", "", "waiting", "P3", "desk", "SSO", ""],
    ]
    imported = run(world, tmp_path, "tickets.csv", csv_text(header, rows), CSV_MAPPING % "tickets")
    assert imported.imported == 2
    assert exported("T-1") == [
        ("2026-03-02T08:00:00Z", "created", {"priority": "P2", "service": "sap-erp", "team": "app-support-cn"}),
        ("2026-03-02T08:10:00Z", "responded", {}),
        ("2026-03-02T11:00:00Z", "status", {"status": "resolved"}),
        ("2026-03-03T08:00:00Z", "status", {"status": "closed"}),
    ]
    assert exported("T-2") == [
        ("2026-03-02T09:00:00Z", "created", {"priority": "P3", "service": "sso", "team": "service-desk"}),
        ("2026-03-02T09:00:00Z", "status", {"status": "pending_customer"}),
    ]
    assert ImportedTicket.objects.get(reference="T-1").ticket.title == "Posting fails"
    assert imported.report["approximations"] == {"no_response": 1, "per_ticket_history": 1, "per_ticket_open_state": 1}


# -- ServiceNow sys_audit and metric -----------------------------------------------------------------------------

AUDIT_MAPPING = """
mapping: servicenow-audit
source: {tool: servicenow, layout: %s, timezone: Europe/Berlin, time_format: "%%Y-%%m-%%d %%H:%%M:%%S"%s}
statuses: {values: {"1": new, "2": in_progress, "6": resolved, "7": closed, New: new, In Progress: in_progress,
                    Resolved: resolved, Closed: closed}}
services: {from: category, default: sap-erp}
teams: {values: {desk: service-desk, app: app-support-cn}}
"""


@pytest.mark.parametrize("layout", ["sys_audit", "metric"])
def test_servicenow_field_change_exports(world, tmp_path, layout):
    if layout == "sys_audit":
        header = ["sys_id", "tablename", "documentkey", "fieldname", "oldvalue", "newvalue", "sys_created_on"]
        changes = [
            ("number", "", "INC0010001", "2026-03-02 09:00:00"),
            ("incident_state", "", "1", "2026-03-02 09:00:00"),
            ("assignment_group", "", "desk", "2026-03-02 09:00:00"),
            ("priority", "", "3", "2026-03-02 09:00:00"),
            ("incident_state", "2", "6", "2026-03-02 11:00:00"),
            ("incident_state", "1", "2", "2026-03-02 09:30:00"),
            ("assignment_group", "desk", "app", "2026-03-02 09:30:00"),
            ("incident_state", "6", "7", "2026-03-03 09:00:00"),
            ("work_notes", "", "looked at it", "2026-03-02 09:40:00"),
        ]
        rows = [
            [f"s{index}", "incident", "9d385017c611228701d22104cc95c371", field, old, new, at]
            for index, (field, old, new, at) in enumerate(changes)
        ]
        reference, extra = "INC0010001", ""
    else:
        header = ["sys_id", "id", "definition", "value", "start", "end"]
        changes = [
            ("Incident State Duration", "New", "2026-03-02 09:00:00"),
            ("Assignment Group", "desk", "2026-03-02 09:00:00"),
            ("Incident State Duration", "In Progress", "2026-03-02 09:30:00"),
            ("Assignment Group", "app", "2026-03-02 09:30:00"),
            ("Incident State Duration", "Resolved", "2026-03-02 11:00:00"),
            ("Incident State Duration", "Closed", "2026-03-03 09:00:00"),
        ]
        rows = [
            [f"m{index}", "INC0010001", definition, value, at, ""]
            for index, (definition, value, at) in enumerate(changes)
        ]
        reference, extra = "INC0010001", ""
    imported = run(world, tmp_path, f"{layout}.csv", csv_text(header, rows), AUDIT_MAPPING % (layout, extra))
    assert imported.imported == 1
    assert exported(reference) == [
        ("2026-03-02T08:00:00Z", "created", {"priority": "P3", "service": "sap-erp", "team": "service-desk"}),
        ("2026-03-02T08:30:00Z", "assigned", {"team": "app-support-cn"}),
        ("2026-03-02T08:30:00Z", "status", {"status": "in_progress"}),
        ("2026-03-02T10:00:00Z", "status", {"status": "resolved"}),
        ("2026-03-03T08:00:00Z", "status", {"status": "closed"}),
    ]
    assert list(verify_all()) == []
