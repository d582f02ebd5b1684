"""Corrections in the exported event log: the `created` event as recorded, the correction as `corrected`.

The kernel reads a correction as retroactive (the ticket's service and category are those of its last
correction, for its whole life, wherever the correction stands), so a period's log keeps every correction
whatever its instant, and a report of that log counts the ticket as corrected.
"""

import io
import json
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta

import orjson
import pytest

from servicepact.desk import actions
from servicepact.desk.actions.recording import append, ticket_write
from servicepact.desk.eventlog import export_lines, kernel_event_log, kernel_events
from servicepact.desk.models import EventType, Ticket
from servicepact.desk.tests.test_eventlog import REFERENCE
from servicepact.sla.clocks import evaluate_ticket
from servicepact.sla.commands import report as report_command
from servicepact.sla.contract import load_contract
from servicepact.sla.events import canonical_event_log, parse_event_log

MONDAY = datetime(2026, 3, 2, 9, 0, 30, 250_000, tzinfo=UTC)
# March 2026 in the contract's reporting zone (Europe/Berlin) ends on 31 March 22:00 UTC.
MARCH_END = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
CORRECTED_AT = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
REASON = "A broken screen at the MES line terminal, not SAP"


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference():
    return load_contract(REFERENCE.read_text(), "globex-ito.yaml")


@pytest.fixture
def solved_then_corrected(world) -> Ticket:
    """Reported on SAP ERP, solved by the desk at first contact in March, closed on 1 April, and corrected
    on 2 April: it was on-site hardware of the MES all along (a category the first-contact measure excludes)."""
    agent = world.people["agent"]
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Screen flickers",
        impact="medium",
        urgency="medium",
        at=MONDAY,
    )
    actions.resolve_ticket(ticket, actor=agent, resolution="Reseated the cable", at=MONDAY + timedelta(hours=1))
    actions.close_ticket(ticket, actor=world.people["requester"], at=datetime(2026, 4, 1, 8, 0, tzinfo=UTC))
    actions.correct_classification(
        ticket,
        actor=agent,
        service=world.services["mes-asia"],
        category="hardware-onsite",
        reason=REASON,
        at=CORRECTED_AT,
    )
    return ticket


def legacy_change(ticket: Ticket, *, actor, field: str, new, at: datetime) -> None:
    """A change of the service or category as ``update_fields`` recorded it before corrections had an
    event of their own: a ``field`` event without a reason (databases still hold them)."""
    with ticket_write(ticket, at) as (locked, at):
        old = locked.service.key if field == "service" else locked.category
        value = new.key if field == "service" else new
        append(locked, EventType.FIELD, at=at, actor=actor, data={"field": field, "old": old, "new": value})
        setattr(locked, field, new)


def lines(**options) -> list[dict]:
    return [orjson.loads(line) for line in export_lines(Ticket.objects.all(), **options)]


def test_the_created_event_stays_as_recorded_and_the_correction_is_exported_with_its_reason(solved_then_corrected):
    number = solved_then_corrected.number
    exported = lines()
    assert exported[0] == {
        "ticket": number,
        "at": "2026-03-02T09:00:30Z",
        "type": "created",
        "priority": "P3",
        "service": "sap-erp",
        "team": "service-desk",
    }
    assert exported[-1] == {
        "ticket": number,
        "at": "2026-04-02T10:00:00Z",
        "type": "corrected",
        "service": "mes-asia",
        "category": "hardware-onsite",
        "reason": REASON,
    }
    assert [line["type"] for line in exported] == ["created", "responded", "status", "status", "corrected"]
    raw = list(export_lines(Ticket.objects.all()))[-1]
    assert raw.startswith(
        f'{{"ticket":"{number}","at":"2026-04-02T10:00:00Z","type":"corrected","service":'
        '"mes-asia","category":"hardware-onsite","reason":'.encode()
    )


def test_the_kernel_reads_the_export_with_the_corrected_service_and_category(solved_then_corrected, reference):
    raw = list(export_lines(Ticket.objects.all()))
    parsed = parse_event_log(raw, reference, "export.jsonl")
    direct = kernel_event_log(Ticket.objects.all(), reference)
    assert canonical_event_log(direct) == canonical_event_log(parsed)
    facts, clocks = evaluate_ticket(reference, parsed[solved_then_corrected.number], int(MONDAY.timestamp()) + 7200)
    assert (facts.service, facts.category) == ("mes-asia", "hardware-onsite")  # before the correction was made
    assert {clock.calendar for clock in clocks if clock.clock in ("response", "resolution")} == {"cn-business"}


def test_a_cleared_category_is_exported_as_null(world, reference):
    agent = world.people["agent"]
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting",
        impact="low",
        urgency="low",
        category="posting",
        at=MONDAY,
    )
    actions.correct_classification(
        ticket, actor=agent, category="", reason="No category fits", at=MONDAY + timedelta(minutes=3)
    )
    exported = lines()
    assert exported[0]["category"] == "posting"
    assert exported[-1] == {
        "ticket": ticket.number,
        "at": "2026-03-02T09:03:30Z",
        "type": "corrected",
        "category": None,
        "reason": "No category fits",
    }
    parsed = parse_event_log(list(export_lines(Ticket.objects.all())), reference, "export.jsonl")
    facts, _clocks = evaluate_ticket(reference, parsed[ticket.number], int(MONDAY.timestamp()) + 600)
    assert (facts.service, facts.category) == ("sap-erp", None)


def test_legacy_field_changes_of_the_service_or_category_are_exported_as_corrections(world, reference):
    agent = world.people["agent"]
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Screen",
        impact="medium",
        urgency="medium",
        at=MONDAY,
    )
    legacy_change(ticket, actor=agent, field="category", new="hardware-onsite", at=MONDAY + timedelta(minutes=1))
    legacy_change(
        ticket, actor=agent, field="service", new=world.services["mes-asia"], at=MONDAY + timedelta(minutes=2)
    )
    actions.update_fields(ticket, actor=agent, title="Broken screen", at=MONDAY + timedelta(minutes=3))
    exported = lines()
    assert exported == [
        {
            "ticket": ticket.number,
            "at": "2026-03-02T09:00:30Z",
            "type": "created",
            "priority": "P3",
            "service": "sap-erp",
            "team": "service-desk",
        },
        {"ticket": ticket.number, "at": "2026-03-02T09:01:30Z", "type": "corrected", "category": "hardware-onsite"},
        {"ticket": ticket.number, "at": "2026-03-02T09:02:30Z", "type": "corrected", "service": "mes-asia"},
    ]
    assert [(event.type, event.data) for event in kernel_events(ticket)] == [
        (line["type"], {k: v for k, v in line.items() if k not in ("ticket", "at", "type")}) for line in exported
    ]
    parsed = parse_event_log(list(export_lines(Ticket.objects.all())), reference, "export.jsonl")
    facts, _clocks = evaluate_ticket(reference, parsed[ticket.number], int(MONDAY.timestamp()) + 600)
    assert (facts.service, facts.category) == ("mes-asia", "hardware-onsite")


def test_a_periods_log_keeps_corrections_made_after_its_end_and_nothing_else_after_it(solved_then_corrected, reference):
    period = lines(before=MARCH_END)
    assert [line["type"] for line in period] == ["created", "responded", "status", "corrected"]  # not the April close
    assert period[-1]["at"] == "2026-04-02T10:00:00Z"
    direct = kernel_event_log(Ticket.objects.all(), reference, before=MARCH_END)
    parsed = parse_event_log(list(export_lines(Ticket.objects.all(), before=MARCH_END)), reference, "period.jsonl")
    assert canonical_event_log(direct) == canonical_event_log(parsed)
    facts, _clocks = evaluate_ticket(reference, direct[solved_then_corrected.number], int(MARCH_END.timestamp()))
    assert facts.category == "hardware-onsite"


def test_a_ticket_created_after_the_cut_has_no_log_there_even_with_a_correction(world, reference):
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="April",
        impact="low",
        urgency="low",
        at=MARCH_END + timedelta(hours=1),
    )
    actions.correct_classification(
        ticket,
        actor=world.people["agent"],
        service=world.services["sso"],
        reason="SSO",
        at=MARCH_END + timedelta(hours=2),
    )
    assert lines(before=MARCH_END) == []
    assert kernel_event_log(Ticket.objects.all(), reference, before=MARCH_END) == {}


def test_the_march_report_recomputed_from_the_period_log_counts_the_later_correction(solved_then_corrected, tmp_path):
    contract_path = tmp_path / "contract.yaml"
    contract_path.write_text(REFERENCE.read_text())
    events_path = tmp_path / "march.jsonl"
    events_path.write_bytes(b"".join(export_lines(Ticket.objects.all(), before=MARCH_END)))
    out = io.StringIO()
    with redirect_stdout(out):
        code = report_command.main(
            ["--contract", str(contract_path), "--events", str(events_path), "--period", "2026-03"]
        )
    assert code == 0
    measures = {measure["id"]: measure for measure in json.loads(out.getvalue())["measures"]}
    # Solved at first contact, but on-site hardware all along: excluded from the first-contact measure.
    first_contact = measures["first-contact-resolution"]
    assert (first_contact["numerator"], first_contact["denominator"], first_contact["value"]) == (0, 0, None)
    assert measures["resolution-compliance"]["denominator"] == 1
