"""`corrected` events: a ticket's service or category set right after the fact, without rewriting `created`.

A correction is retroactive: the ticket's service and category are those of its last correction for its
whole life, wherever the correction stands in the log (after the evaluation instant, after `closed`).
"""

import io

import orjson
import pytest

from servicepact.sla.clock_batch_log import read_log_columns
from servicepact.sla.commands.replay import replay_log, write_replay
from servicepact.sla.events import EventLogError, canonical_event_log, parse_event_log
from servicepact.sla.periods import parse_period
from servicepact.sla.report import build_report
from servicepact.sla.tests.cases.contracts import reference_contract
from servicepact.sla.timefmt import parse_instant

CONTRACT = reference_contract()
MARCH = parse_period("2026-03", "Europe/Berlin")


def parse(*records: dict) -> dict:
    return parse_event_log([orjson.dumps(record) for record in records], CONTRACT, "EVENTS")


def problems(*records: dict) -> list[str]:
    with pytest.raises(EventLogError) as error:
        parse(*records)
    return error.value.messages


CREATED = {
    "ticket": "T",
    "at": "2026-03-02T08:00:00Z",
    "type": "created",
    "priority": "P3",
    "service": "sap-erp",
    "category": "hardware-onsite",
}
RESOLVED = {"ticket": "T", "at": "2026-03-02T09:00:00Z", "type": "status", "status": "resolved"}
CLOSED = {"ticket": "T", "at": "2026-03-03T09:00:00Z", "type": "status", "status": "closed"}


def corrected(at: str, **fields) -> dict:
    return {"ticket": "T", "at": at, "type": "corrected", **fields}


def test_a_correction_names_a_known_service_or_a_category():
    assert problems(CREATED, corrected("2026-03-02T08:30:00Z")) == [
        "EVENTS:2: a 'corrected' event needs 'service' or 'category'"
    ]
    assert problems(CREATED, corrected("2026-03-02T08:30:00Z", service="crm"))[0].startswith(
        "EVENTS:2: unknown service 'crm' (allowed: "
    )
    assert problems(CREATED, corrected("2026-03-02T08:30:00Z", category=7, reason=["x"])) == [
        "EVENTS:2: field 'category' must be a string, got number",
        "EVENTS:2: field 'reason' must be a string, got array",
    ]
    assert problems(corrected("2026-03-01T08:00:00Z", category="x"), CREATED)[0].startswith(
        "EVENTS:1: first event of ticket 'T' is 'corrected', not 'created'"
    )


def test_a_correction_may_come_after_closed_and_clears_a_category_with_null():
    events = parse(CREATED, RESOLVED, CLOSED, corrected("2026-04-02T10:00:00Z", category=None, reason="misfiled"))
    assert [event.type for event in events["T"]] == ["created", "status", "status", "corrected"]


def test_created_stays_as_written_and_the_canonical_log_holds_the_correction():
    events = parse(CREATED, RESOLVED, corrected("2026-04-02T10:00:00Z", service="sso", reason="it was SSO"))
    lines = canonical_event_log(events).splitlines()
    assert orjson.loads(lines[0])["service"] == "sap-erp"
    assert orjson.loads(lines[-1]) == {
        "ticket": "T",
        "at": "2026-04-02T10:00:00Z",
        "type": "corrected",
        "service": "sso",
        "reason": "it was SSO",
    }


def first_contact(report: dict) -> dict:
    return next(measure for measure in report["measures"] if measure["id"] == "first-contact-resolution")


def test_a_correction_after_the_period_moves_the_ticket_out_of_an_exclusion_and_is_listed():
    plain = parse(CREATED, RESOLVED)
    fixed = parse(CREATED, RESOLVED, corrected("2026-04-10T09:00:00Z", category=None, reason="not hardware"))
    before = build_report(CONTRACT, b"", plain, MARCH)
    after = build_report(CONTRACT, b"", fixed, MARCH)
    assert (first_contact(before)["denominator"], before["excluded"][0]["tickets"]) == (0, ["T"])
    assert (first_contact(after)["denominator"], after["excluded"]) == (1, [])
    assert "corrections" not in before
    assert after["corrections"] == [
        {"ticket": "T", "at": "2026-04-10T09:00:00Z", "category": None, "reason": "not hardware"}
    ]
    assert after["digest"]["events_sha256"] != before["digest"]["events_sha256"]


def test_a_service_corrected_later_changes_the_calendar_retroactively():
    # P3 response: 4 business hours on the service's calendar. Created Sat 2026-03-07 10:00 Berlin on
    # SAP ERP (closed at weekends), corrected later to HR portal (Shanghai hours, Mon 09:00 = 01:00Z).
    created = {**CREATED, "at": "2026-03-07T09:00:00Z", "category": None}
    at = parse_instant("2026-03-09T03:00:00Z")
    for records, elapsed in (
        ((created,), 0),
        ((created, corrected("2026-03-20T09:00:00Z", service="hr-portal")), 7200),
    ):
        out = io.BytesIO()
        write_replay(CONTRACT, parse(*records), at, out)
        response = orjson.loads(out.getvalue().splitlines()[0])
        assert response["elapsed_s"] == elapsed


def test_the_batch_path_leaves_corrections_to_the_event_by_event_path():
    log = b"\n".join(
        orjson.dumps(record) for record in (CREATED, RESOLVED, corrected("2026-03-02T10:00:00Z", service="sso"))
    )
    assert read_log_columns(log, CONTRACT) is None
    at = parse_instant("2026-04-01T00:00:00Z")
    out, expected = io.BytesIO(), io.BytesIO()
    replay_log(CONTRACT, log, "log", at, out)
    write_replay(CONTRACT, parse_event_log(log.split(b"\n"), CONTRACT, "log"), at, expected)
    assert out.getvalue() == expected.getvalue()
