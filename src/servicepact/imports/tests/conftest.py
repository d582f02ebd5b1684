"""Fixtures of the import tests: a contract whose first version took effect in 2016 (the public ServiceNow
export's years), the person importing, the shipped mapping, and helpers that write exports."""

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest

from servicepact.contracts.models import Contract
from servicepact.imports.mapping import Mapping, load_mapping
from servicepact.testing import factories

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SERVICENOW_MAPPING = EXAMPLES / "servicenow-incident-audit.yaml"
# CI has a copy of the shared data beside the repository, read-only.
SHARED_DATA = Path(__file__).resolve().parents[4].parent / "shared" / "data"
SERVICENOW_EXPORT = SHARED_DATA / "servicenow-incident-event-log.zip"
HISTORY_SLUG = "globex-history"
HISTORY_TEXT = (
    factories.EXAMPLE_CONTRACT.read_text()
    .replace("contract: globex-ito", f"contract: {HISTORY_SLUG}")
    .replace("effective: {from: 2026-01-01, to: 2027-12-31}", "effective: {from: 2016-01-01, to: 2027-12-31}")
)
# The header of ServiceNow's incident audit export as the public copy has it (subcategory named "category").
SERVICENOW_HEADER = (
    "number,ident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,"
    "opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,"
    "category,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,"
    "u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at"
).split(",")


def history_contract_for(world, slug: str = HISTORY_SLUG, text: str = HISTORY_TEXT) -> Contract:
    contract = factories.ContractFactory(
        slug=slug, title="Globex, history from ServiceNow", customer=world.customer, provider=world.provider
    )
    factories.ContractVersionFactory(
        contract=contract,
        source=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        effective_from=date(2016, 1, 1),
        effective_to=date(2027, 12, 31),
    )
    for key in ("sap-erp", "sso", "mes-asia", "hr-portal"):
        factories.ServiceFactory(contract=contract, key=key)
    return contract


@pytest.fixture
def history_contract(world) -> Contract:
    return history_contract_for(world)


@pytest.fixture
def importer(world):
    return world.people["administrator"]


@pytest.fixture
def servicenow_mapping() -> Mapping:
    return load_mapping(SERVICENOW_MAPPING.read_bytes(), SERVICENOW_MAPPING.name)


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue()


def servicenow_row(
    number: str,
    state: str,
    mod: int,
    updated: str,
    *,
    opened: str = "29/2/2016 01:16",
    group: str = "56",
    category: str = "55",
    subcategory: str = "170",
    impact: str = "2",
    urgency: str = "2",
    priority: str = "3",
    caller: str = "2403",
    assignee: str = "?",
    made_sla: str = "true",
) -> list[str]:
    """One row of the incident audit export; the columns servicepact does not read hold plausible values."""
    values = dict.fromkeys(SERVICENOW_HEADER, "?")
    values.update(
        {
            "number": number,
            "ident_state": state,
            "active": "true",
            "reassignment_count": "0",
            "reopen_count": "0",
            "sys_mod_count": str(mod),
            "made_sla": made_sla,
            "caller_id": caller,
            "opened_by": "8",
            "opened_at": opened,
            "sys_updated_by": "21",
            "sys_updated_at": updated,
            "contact_type": "Phone",
            "location": "143",
            "impact": impact,
            "urgency": urgency,
            "priority": priority,
            "assignment_group": group,
            "assigned_to": assignee,
            "knowledge": "true",
            "u_priority_confirmation": "false",
            "notify": "Do Not Notify",
            "closed_code": "5",
        }
    )
    row = [values[name] for name in SERVICENOW_HEADER]
    row[16], row[17] = category, subcategory  # the two "category" columns
    return row


def write_servicenow(path: Path, rows: list[list[str]]) -> Path:
    path.write_text(csv_text(SERVICENOW_HEADER, rows), encoding="utf-8")
    return path
