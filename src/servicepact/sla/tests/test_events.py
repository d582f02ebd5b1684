"""The event log: validation of every line, ordering of a ticket's events, and the canonical form."""

from types import SimpleNamespace

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicepact.sla.events import EventLogError, _fast_acceptor, _LineChecker, canonical_event_log, parse_event_log
from servicepact.sla.timefmt import InstantError, format_instant, parse_instant

# Validation needs only the contract's vocabulary.
VOCABULARY = SimpleNamespace(priorities=["P1", "P2", "P3", "P4"], services={"sap-erp": None, "mes-asia": None})


def created(ticket: str = "T-1", at: str = "2026-03-02T09:00:00Z", **extra) -> str:
    return orjson.dumps(
        {"ticket": ticket, "at": at, "type": "created", "priority": "P2", "service": "sap-erp", **extra}
    ).decode()


def event(type_: str, at: str, ticket: str = "T-1", **fields) -> str:
    return orjson.dumps({"ticket": ticket, "at": at, "type": type_, **fields}).decode()


def errors_of(lines: list[str], source: str = "log.jsonl") -> list[str]:
    with pytest.raises(EventLogError) as caught:
        parse_event_log(lines, VOCABULARY, source)
    return caught.value.messages


class TestInstants:
    def test_offsets_are_applied(self):
        assert parse_instant("2026-03-29T03:30:00+02:00") == parse_instant("2026-03-29T01:30:00Z")
        assert parse_instant("2026-03-28T20:30:00-05:00") == parse_instant("2026-03-29T01:30:00Z")
        assert format_instant(parse_instant("2026-03-29T01:30:00Z")) == "2026-03-29T01:30:00Z"

    def test_epoch_value(self):
        assert parse_instant("1970-01-01T00:00:00Z") == 0
        assert parse_instant("2026-03-02T09:15:00Z") == 1772442900

    def test_sub_second_parts_are_dropped(self):
        assert parse_instant("2026-03-02T09:15:00.999Z") == parse_instant("2026-03-02T09:15:00Z")
        assert parse_instant("2026-03-02T10:15:59.5+01:00") == parse_instant("2026-03-02T09:15:59Z")

    def test_fast_path_agrees_with_slow_path(self):
        # the second parse of an hour goes through the cached fast path
        first = parse_instant("2031-07-04T05:06:07Z")
        assert parse_instant("2031-07-04T05:59:59Z") == first - 7 - 6 * 60 + 59 * 60 + 59
        with pytest.raises(InstantError):
            parse_instant("2031-07-04T05:60:00Z")

    @pytest.mark.parametrize(
        "text, fragment",
        [
            ("2026-03-02T09:15:00", "no offset"),
            ("2026-03-02", "not an RFC 3339 instant"),
            ("2026-02-29T09:15:00Z", "day 29 out of range"),
            ("2026-13-01T09:15:00Z", "month 13"),
            ("2026-03-02T24:00:00Z", "time of day"),
            ("2026-03-02T23:59:60Z", "time of day"),
        ],
    )
    def test_bad_instants(self, text, fragment):
        with pytest.raises(InstantError, match=fragment):
            parse_instant(text)

    def test_leap_day_and_round_trip_over_years(self):
        assert format_instant(parse_instant("2028-02-29T12:00:00+00:00")) == "2028-02-29T12:00:00Z"
        for instant in range(0, 86400 * 365 * 200, 86400 * 37 + 3671):
            assert parse_instant(format_instant(instant)) == instant
        # the kernel's range ends there: 1970 to 2199 (timefmt)
        for outside in (-1, -86400 * 400, 7258118400):
            with pytest.raises(InstantError, match="outside the supported range"):
                parse_instant(format_instant(outside))


class TestParsing:
    def test_events_grouped_and_sorted_with_ties_in_file_order(self):
        lines = [
            created("T-2"),
            event("status", "2026-03-02T10:00:00Z", status="in_progress"),
            created("T-1"),
            event("status", "2026-03-02T09:30:00Z", status="assigned"),
            event("responded", "2026-03-02T09:30:00Z"),
            "",
        ]
        by_ticket = parse_event_log(lines, VOCABULARY, "log")
        assert sorted(by_ticket) == ["T-1", "T-2"]
        assert [(e.type, e.line) for e in by_ticket["T-1"]] == [
            ("created", 3),
            ("status", 4),
            ("responded", 5),
            ("status", 2),
        ]
        assert by_ticket["T-1"][1].data == {"status": "assigned"}

    def test_bytes_lines_and_blank_lines(self):
        lines = [created().encode() + b"\n", b"   \n", event("responded", "2026-03-02T10:10:00+01:00").encode()]
        events = parse_event_log(lines, VOCABULARY, "log")["T-1"]
        assert [(e.line, e.at - events[0].at) for e in events] == [(1, 0), (3, 600)]

    def test_extra_fields_are_kept(self):
        events = parse_event_log([created(actor="li.wei", category=None)], VOCABULARY, "log")["T-1"]
        assert events[0].data == {"priority": "P2", "service": "sap-erp", "actor": "li.wei", "category": None}


class TestBadLines:
    @pytest.mark.parametrize(
        "line, message",
        [
            ("{not json", "invalid JSON"),
            ("[1, 2]", "an event must be a JSON object, got array"),
            ('"text"', "an event must be a JSON object, got string"),
            (
                '{"at": "2026-03-02T09:00:00Z", "type": "created", "priority": "P1", "service": "sap-erp"}',
                "missing field 'ticket'",
            ),
            (
                '{"ticket": 7, "at": "2026-03-02T09:00:00Z", "type": "responded"}',
                "field 'ticket' must be a string, got number",
            ),
            ('{"ticket": "T-1", "type": "responded"}', "missing field 'at'"),
            ('{"ticket": "T-1", "at": 1772442000, "type": "responded"}', "field 'at' must be a string, got number"),
            ('{"ticket": "T-1", "at": "2026-03-02T09:00:00", "type": "responded"}', "has no offset"),
            ('{"ticket": "T-1", "at": "2026-03-02T09:00:00Z"}', "missing field 'type'"),
            (
                '{"ticket": "T-1", "at": "2026-03-02T09:00:00Z", "type": "replied"}',
                "unknown event type 'replied' (allowed: created, status, priority, assigned, responded, corrected, unassigned, amended)",
            ),
            (
                '{"ticket": "T-1", "at": "2026-03-02T09:00:00Z", "type": "status", "status": "done"}',
                "unknown status 'done' (allowed: new, assigned, in_progress, pending_customer, pending_vendor, pending_problem, resolved, closed)",
            ),
            ('{"ticket": "T-1", "at": "2026-03-02T09:00:00Z", "type": "status"}', "missing field 'status'"),
            (
                '{"ticket": "T-1", "at": "2026-03-02T09:00:00Z", "type": "priority", "priority": "P9"}',
                "unknown priority 'P9' (allowed: P1, P2, P3, P4)",
            ),
            ('{"ticket": "T-1", "at": "2026-03-02T09:00:00Z", "type": "assigned"}', "missing field 'team'"),
            (
                '{"ticket": "T-1", "at": "2026-03-02T09:00:00Z", "type": "assigned", "team": ["a"]}',
                "field 'team' must be a string, got array",
            ),
            (
                '{"ticket": "T-1", "at": "2026-03-02T09:00:00Z", "type": "created", "priority": "P1", "service": "crm"}',
                "unknown service 'crm' (allowed: mes-asia, sap-erp)",
            ),
            (
                '{"ticket": "T-1", "at": "2026-03-02T09:00:00Z", "type": "created", "service": "sap-erp"}',
                "missing field 'priority'",
            ),
            (
                '{"ticket": "T-1", "at": "2026-03-02T09:00:00Z", "type": "created", "priority": "P1", "service": "sap-erp", "category": 3}',
                "field 'category' must be a string, got number",
            ),
        ],
    )
    def test_each_rule_names_line_and_value(self, line, message):
        messages = errors_of([created("T-0"), line])
        assert len(messages) >= 1
        assert messages[0].startswith("log.jsonl:2: ")
        assert message in messages[0]

    def test_every_bad_line_is_reported_at_once_in_line_order(self):
        lines = [created(), "{", created("T-2"), '{"ticket": "T-1", "at": "x", "type": "status", "status": "gone"}']
        messages = errors_of(lines)
        assert [m.split(": ")[0] for m in messages] == ["log.jsonl:2", "log.jsonl:4", "log.jsonl:4"]

    def test_stdin_is_named(self):
        assert errors_of(["{"], source="-")[0].startswith("<stdin>:1: invalid JSON")

    def test_first_event_not_created(self):
        lines = [event("responded", "2026-03-02T08:00:00Z"), created()]
        assert errors_of(lines) == [
            "log.jsonl:1: first event of ticket 'T-1' is 'responded', not 'created'; its 'created' is on line 2, later in time"
        ]

    def test_same_instant_as_created_but_earlier_in_file(self):
        lines = [event("responded", "2026-03-02T09:00:00Z"), created()]
        assert errors_of(lines)[0].startswith("log.jsonl:1: first event of ticket 'T-1' is 'responded'")

    def test_ticket_without_created(self):
        assert errors_of([event("responded", "2026-03-02T08:00:00Z", ticket="X")]) == [
            "log.jsonl:1: first event of ticket 'X' is 'responded', not 'created'"
        ]

    def test_second_created(self):
        lines = [created(), created(at="2026-03-02T10:00:00Z")]
        assert errors_of(lines) == ["log.jsonl:2: second 'created' for ticket 'T-1' (first on line 1)"]

    def test_events_after_closed(self):
        lines = [
            created(),
            event("status", "2026-03-02T10:00:00Z", status="closed"),
            event("status", "2026-03-02T11:00:00Z", status="in_progress"),
            event("responded", "2026-03-02T10:00:00Z"),  # same instant as closed, after it in file order
        ]
        assert errors_of(lines) == [
            "log.jsonl:3: event 'status' of ticket 'T-1' after it was closed (line 2)",
            "log.jsonl:4: event 'responded' of ticket 'T-1' after it was closed (line 2)",
        ]

    def test_event_before_closed_at_same_instant_is_fine(self):
        lines = [
            created(),
            event("responded", "2026-03-02T10:00:00Z"),
            event("status", "2026-03-02T10:00:00Z", status="closed"),
        ]
        assert len(parse_event_log(lines, VOCABULARY, "log")["T-1"]) == 3


class TestCanonicalLog:
    def test_exact_bytes(self):
        lines = [
            event("responded", "2026-03-02T10:00:00+01:00", ticket="B"),
            created("B", at="2026-03-02T08:00:00.5Z", note="Zürich"),
            created("A"),
            event("status", "2026-03-02T09:00:00Z", ticket="A", status="in_progress"),
        ]
        canonical = canonical_event_log(parse_event_log(lines, VOCABULARY, "log"))
        assert (
            canonical
            == (
                '{"at":"2026-03-02T09:00:00Z","priority":"P2","service":"sap-erp","ticket":"A","type":"created"}\n'
                '{"at":"2026-03-02T09:00:00Z","status":"in_progress","ticket":"A","type":"status"}\n'
                '{"at":"2026-03-02T08:00:00Z","note":"Zürich","priority":"P2","service":"sap-erp","ticket":"B","type":"created"}\n'
                '{"at":"2026-03-02T09:00:00Z","ticket":"B","type":"responded"}\n'
            ).encode()
        )

    def test_file_order_and_source_layout_do_not_change_it_except_ties(self):
        one = [created("A"), event("responded", "2026-03-02T09:30:00Z", ticket="A")]
        two = ["", one[1], "  ", one[0]]
        assert canonical_event_log(parse_event_log(one, VOCABULARY, "x")) == canonical_event_log(
            parse_event_log(two, VOCABULARY, "y")
        )

    def test_ticket_order_is_by_code_point(self):
        lines = [created("b"), created("B"), created("Ä"), created("a")]
        canonical = canonical_event_log(parse_event_log(lines, VOCABULARY, "x")).decode()
        assert [orjson.loads(line)["ticket"] for line in canonical.splitlines()] == ["B", "a", "b", "Ä"]

    def test_empty_log(self):
        assert canonical_event_log({}) == b""


class TestFastAcceptance:
    """The fast path accepts only what the thorough checker accepts, with the same result."""

    values = st.sampled_from(
        [
            None,
            1,
            "",
            "P1",
            "P9",
            "sap-erp",
            "crm",
            "resolved",
            "done",
            "T-1",
            "team-a",
            ["x"],
            {"a": 1},
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:00:00",
            "2026-03-02T10:00:00+01:00",
            "2026-02-30T09:00:00Z",
        ]
    )
    fields = ("ticket", "at", "type", "priority", "service", "status", "team", "category")

    @settings(max_examples=300, deadline=None)
    @given(
        record=st.dictionaries(st.sampled_from(fields), values, max_size=8),
        event_type=st.sampled_from(["created", "status", "priority", "assigned", "responded", "other", None]),
    )
    def test_same_verdict(self, record, event_type):
        if event_type is not None:
            record["type"] = event_type
        checker = _LineChecker(VOCABULARY)
        thorough = checker.check(dict(record), [])
        fast = _fast_acceptor(checker)(dict(record), 7)
        if fast is not None:
            assert thorough == (fast.ticket, fast.at, fast.type, fast.data)
