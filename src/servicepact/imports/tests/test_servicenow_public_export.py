"""The public ServiceNow export (../shared/data, 141,712 rows, 24,918 incidents) with the shipped mapping.

Imported, it gives 24,918 tickets whose exported events are, event for event, what an offline conversion
of the same rows gives (written here from docs/imports.md, without the importer's code), and replay to
the same clocks; a dry run before changes nothing; a second run imports nothing twice.

The file is part of the shared data CI has beside the repository; without it (a checkout elsewhere) the
test is skipped, saying so.
"""

import csv
import io
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import orjson
import pytest

from servicepact.accounts.models import Team, User
from servicepact.desk.eventlog import export_lines
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import Ticket, TicketEvent
from servicepact.imports.actions import check_import, import_history
from servicepact.imports.models import ImportedTicket, ImportRun
from servicepact.imports.tests.conftest import SERVICENOW_EXPORT
from servicepact.sla.clocks import replay
from servicepact.sla.events import parse_event_log
from servicepact.sla.timefmt import parse_instant

pytestmark = pytest.mark.skipif(
    not SERVICENOW_EXPORT.exists(), reason=f"the public ServiceNow export is not at {SERVICENOW_EXPORT} (CI has it)"
)

EVALUATED_AT = parse_instant("2017-06-01T00:00:00Z")
ZONE = ZoneInfo("America/Sao_Paulo")
STATUSES = {
    "New": "new",
    "Active": "in_progress",
    "Awaiting User Info": "pending_customer",
    "Awaiting Evidence": "pending_customer",
    "Awaiting Vendor": "pending_vendor",
    "Awaiting Problem": "pending_problem",
    "Resolved": "resolved",
    "Closed": "closed",
    "-100": None,
}
LEVELS = {"1": "high", "2": "medium", "3": "low"}
RESPONSE = {"in_progress", "pending_customer", "pending_vendor", "pending_problem"}


def _instant(text: str) -> int:
    return int(datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=ZONE).timestamp())


def _z(second: int) -> str:
    return datetime.fromtimestamp(second, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def offline_conversion() -> dict[str, list[dict]]:
    """The spec's events per incident number, straight from the rows, by the rules of docs/imports.md."""
    with zipfile.ZipFile(SERVICENOW_EXPORT) as archive, archive.open(archive.namelist()[0]) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        header = next(reader)
        column = {name: header.index(name) for name in header}
        subcategory = [index for index, name in enumerate(header) if name == "category"][1]
        rows = defaultdict(list)
        for line, cells in enumerate(reader, start=2):
            rows[cells[column["number"]]].append((line, cells))

    def value(cells: list[str], index: int) -> str | None:
        text = cells[index].strip()
        return None if text in ("?", "") else text

    fields = {
        "state": column["ident_state"],
        "priority": column["priority"],
        "impact": column["impact"],
        "urgency": column["urgency"],
        "group": column["assignment_group"],
        "subcategory": subcategory,
    }
    logs = {}
    for number, found in rows.items():
        opened = _instant(found[0][1][column["opened_at"]])
        mod = column["sys_mod_count"]
        found.sort(
            key=lambda item: (
                _instant(item[1][column["sys_updated_at"]]),
                int(item[1][mod]) if item[1][mod].isdigit() else 0,
                item[0],
            )
        )
        first = {name: value(found[0][1], index) for name, index in fields.items()}
        team = f"sn-group-{first['group']}" if first["group"] else None
        category = f"sn-{first['subcategory']}" if first["subcategory"] else ""
        levels = (LEVELS[first["impact"]], LEVELS[first["urgency"]], f"P{first['priority']}")
        created = {"at": _z(opened), "type": "created", "priority": levels[2], "service": "sap-erp"}
        if team:
            created["team"] = team
        if category:
            created["category"] = category
        events = [created]
        status, responded, after = "new", False, None
        previous = None
        for _line, cells in found:
            at = _z(max(_instant(cells[column["sys_updated_at"]]), opened))
            now = {name: value(cells, index) for name, index in fields.items()}
            changed = {"state"} if previous is None else {name for name in fields if now[name] != previous[name]}
            previous = now
            new_status = STATUSES[now["state"]] if "state" in changed and now["state"] is not None else None
            new_category = (
                (f"sn-{now['subcategory']}" if now["subcategory"] else "") if "subcategory" in changed else None
            )
            new_levels = (
                (LEVELS[now["impact"]], LEVELS[now["urgency"]], f"P{now['priority']}")
                if changed & {"impact", "urgency", "priority"}
                else None
            )
            new_team = (f"sn-group-{now['group']}" if now["group"] else None) if "group" in changed else "unchanged"
            if status == "closed":
                if after is None:
                    after = {
                        "status": "closed",
                        "category": category,
                        "team": team,
                        "impact": levels[0],
                        "urgency": levels[1],
                        "priority": levels[2],
                    }
                changes = {}
                if new_status is not None and new_status != after["status"]:
                    changes["status"] = new_status
                if new_category is not None and new_category != after["category"]:
                    changes["category"] = new_category
                if new_team != "unchanged" and new_team != after["team"]:
                    changes["team"] = new_team
                if new_levels is not None:
                    for name, level in zip(("impact", "urgency", "priority"), new_levels):
                        if level != after[name]:
                            changes[name] = level
                if changes:
                    after.update(changes)
                    events.append({"at": at, "type": "amended", "changes": changes})
                continue
            if new_category is not None and new_category != category:
                category = new_category
                events.append({"at": at, "type": "corrected", "category": category or None})
            if new_levels is not None and new_levels != levels:
                levels = new_levels
                events.append({"at": at, "type": "priority", "priority": levels[2]})
            if new_team != "unchanged" and new_team != team:
                team = new_team
                events.append(
                    {"at": at, "type": "assigned", "team": team} if team else {"at": at, "type": "unassigned"}
                )
            if new_status is None or new_status == status:
                continue
            if not responded and new_status in RESPONSE:
                responded = True
                events.append({"at": at, "type": "responded"})
            status = new_status
            events.append({"at": at, "type": "status", "status": status})
        logs[number] = events
    return logs


@pytest.fixture
def import_of_the_export(history_contract, importer, servicenow_mapping, django_db_blocker):
    before = _snapshot()
    report = check_import(
        actor=importer, contract=history_contract, path=SERVICENOW_EXPORT, mapping=servicenow_mapping, tool="servicenow"
    )
    assert _snapshot() == before, "the dry run changed the database"
    assert report.ok and (report.rows, report.tickets, report.new) == (141_712, 24_918, 24_918)
    run = import_history(
        actor=importer, contract=history_contract, path=SERVICENOW_EXPORT, mapping=servicenow_mapping, tool="servicenow"
    )
    return report, run


def _snapshot() -> tuple:
    return (
        Ticket.objects.count(),
        TicketEvent.objects.count(),
        Team.objects.count(),
        User.objects.count(),
        ImportRun.objects.count(),
        ImportedTicket.objects.count(),
    )


def test_the_public_export_imports_as_its_offline_conversion(
    import_of_the_export, history_contract, importer, servicenow_mapping
):
    report, run = import_of_the_export
    tickets = Ticket.objects.filter(contract=history_contract)
    assert (run.imported, tickets.count()) == (24_918, 24_918)
    assert set(tickets.values_list("status", flat=True)) <= {
        "closed",
        "resolved",
        "new",
        "in_progress",
        "pending_customer",
        "pending_vendor",
        "pending_problem",
    }
    assert tickets.filter(status="closed").count() == report.closed
    assert list(verify_all(tickets)) == []

    numbers = dict(ImportedTicket.objects.filter(run=run).values_list("ticket__number", "reference"))
    exported: dict[str, list[dict]] = defaultdict(list)
    for line in export_lines(tickets):
        event = orjson.loads(line)
        exported[numbers[event.pop("ticket")]].append(event)
    offline = offline_conversion()
    assert len(offline) == 24_918
    differing = [number for number in offline if exported[number] != offline[number]]
    assert not differing, (
        f"{len(differing)} tickets differ, e.g. {differing[0]}: {exported[differing[0]]} / {offline[differing[0]]}"
    )

    terms = history_contract.versions.get().kernel()

    def clocks(logs: dict[str, list[dict]]) -> list[dict]:
        lines = [orjson.dumps({"ticket": number, **event}) for number, events in logs.items() for event in events]
        return [state.spec_dict() for state in replay(terms, parse_event_log(lines, terms, "log"), EVALUATED_AT)]

    assert clocks(exported) == clocks(offline)

    again = import_history(
        actor=importer, contract=history_contract, path=SERVICENOW_EXPORT, mapping=servicenow_mapping, tool="servicenow"
    )
    assert (again.imported, again.skipped, tickets.count()) == (0, 24_918, 24_918)
