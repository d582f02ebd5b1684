"""Fuzzing the kernel's readers: whatever the input, an error message or a result, never an exception.

Three readers take files from outside: the contract loader, the event log reader and the period labels.
For each, hypothesis builds inputs around the valid ones (the reference contract with one value swapped
for a hostile one, event lines with odd fields, labels in odd forms) and the property is the same: the
reader returns a result, or raises its own error whose messages carry their place, and a contract or
log it accepts can be replayed and reported on without failing either. Bounded to run in seconds.
"""

import io
import json
import re

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicepact.sla.clock_batch_log import read_log_columns
from servicepact.sla.clocks import replay
from servicepact.sla.commands.replay import replay_log, write_replay
from servicepact.sla.contract import ContractError, load_contract
from servicepact.sla.events import EventLogError, parse_event_log
from servicepact.sla.periods import PeriodError, month_range, parse_period
from servicepact.sla.report import ReportError, build_report
from servicepact.sla.tests.cases.contracts import REFERENCE_PATH
from servicepact.sla.tests.march_log import EVENTS_PATH as MARCH_LOG
from servicepact.sla.timefmt import parse_instant

REFERENCE = REFERENCE_PATH.read_text(encoding="utf-8")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DIAGNOSTIC = re.compile(r"^fuzz\.yaml:\d+:\d+: ")
EVENT_PROBLEM = re.compile(r"^EVENTS:\d+: ")

# Scalars that have broken or could break a reader: numbers at and past every bound, tags, aliases,
# dates and instants at the ends of the range, digits of other scripts, control characters.
HOSTILE_SCALARS = [
    "9" * 5000,
    "9" * 19,
    "-9" * 10,
    "!!int abc",
    "0b_",
    "0x",
    "0o8",
    "1_000",
    "!!float x",
    "1e999999999",
    ".inf",
    "-.nan",
    "!!binary aGk=",
    "!foo bar",
    "!!python/object:os.system x",
    "*undefined",
    "&a x",
    "~",
    "null",
    "[]",
    "{}",
    "''",
    '""',
    '"\\x00"',
    '"\\u0000"',
    "0001-01-01",
    "9999-12-31",
    "1969-12-31",
    "2200-01-01",
    "2026-02-30",
    "\u0662\u0660\u0662\u0666-01-01",
    "\u0669\u0665%",
    "95%",
    "1000%",
    "-5%",
    "0.95",
    "1" + "0" * 40 + "%",
    "24:00-24:00",
    '"00:00-24:00"',
    '"23:59-24:00"',
    "1d",
    "0s",
    "100000h",
    "100001h",
    "99999999999h",
    "1h1h",
    "P\u00b3",
    "Europe/Nowhere",
    "UTC",
    "XX",
    "true",
    "yes",
    "- a",
    "[1, [2, [3]]]",
    "{a: {b: {c: d}}}",
    "'" + "x" * 300 + "'",
    "\t",
    "|\n  text",
    ">-",
    "!!timestamp 2026-13-01",
    "!!str",
    "&x [*x]",
]
LINES = REFERENCE.splitlines(keepends=True)


@pytest.fixture(scope="module")
def reference_contract():
    return load_contract(REFERENCE, "globex-ito.yaml")


@pytest.fixture(scope="module")
def reference_events(reference_contract):
    return parse_event_log(MARCH_LOG.read_bytes().splitlines(), reference_contract, "EVENTS")


# A value in the file: after "key: ", or an item of a flow list or mapping, up to the next delimiter.
VALUE = re.compile(r"""(?:(?<=: )|(?<=\[)|(?<=, ))(?!\s)("[^"\n]*"|[^,{}\[\]\n#]*[^,{}\[\]\n#\s])""")


@st.composite
def mutated_contract(draw) -> str:
    """The reference contract with a few of its values (or whole lines) replaced by hostile ones."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        replacement = draw(st.sampled_from(HOSTILE_SCALARS) | st.text(max_size=12))
        values = list(VALUE.finditer(lines[index]))
        action = draw(st.integers(0, 5))
        if values and action < 4:
            value = values[draw(st.integers(0, len(values) - 1))]
            lines[index] = lines[index][: value.start()] + replacement + lines[index][value.end() :]
        elif action == 4:
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))] + replacement + "\n"
        else:
            del lines[index]
    return "".join(lines)


yaml_noise = st.text(
    alphabet=st.sampled_from(list("ab1:-[]{},&*!|>'\"#%@`?\n \t\\\x00") + ["\u0660", "\u00b3", "\ufeff"]), max_size=200
)


def accepted_contract_works(contract) -> None:
    """A contract the loader accepted is used without failing: a replay and a month's report of a small log."""
    priority = contract.priorities[0]
    service = min(contract.services)
    lines = [
        orjson.dumps(
            {"ticket": "F-1", "at": "2026-03-02T09:00:00Z", "type": "created", "priority": priority, "service": service}
        ),
        orjson.dumps({"ticket": "F-1", "at": "2026-03-02T10:00:00Z", "type": "responded"}),
        orjson.dumps({"ticket": "F-1", "at": "2026-03-03T10:00:00Z", "type": "status", "status": "resolved"}),
        orjson.dumps(
            {"ticket": "F-2", "at": "2026-03-20T10:00:00Z", "type": "created", "priority": priority, "service": service}
        ),
    ]
    events = parse_event_log(lines, contract, "EVENTS")
    list(replay(contract, events, parse_instant("2026-04-01T00:00:00Z")))
    try:
        period = parse_period("2026-03", contract.reporting_timezone)
        build_report(contract, b"", events, period)
    except ReportError:
        pass


class TestContractLoader:
    @FUZZ
    @given(mutated_contract())
    def test_a_mutated_reference_loads_or_is_refused_with_positions(self, text):
        try:
            contract = load_contract(text, "fuzz.yaml")
        except ContractError as error:
            assert error.diagnostics
            assert all(DIAGNOSTIC.match(str(diagnostic)) for diagnostic in error.diagnostics), error.diagnostics
            return
        accepted_contract_works(contract)

    @FUZZ
    @given(yaml_noise)
    def test_noise_is_refused_with_positions(self, text):
        try:
            load_contract(text, "fuzz.yaml")
        except ContractError as error:
            assert all(DIAGNOSTIC.match(str(diagnostic)) for diagnostic in error.diagnostics), error.diagnostics

    @FUZZ
    @given(st.binary(max_size=300))
    def test_bytes_are_refused_with_positions(self, data):
        try:
            load_contract(data, "fuzz.yaml")
        except ContractError as error:
            assert all(DIAGNOSTIC.match(str(diagnostic)) for diagnostic in error.diagnostics), error.diagnostics


# -- the event log ---------------------------------------------------------------------------------------

TICKETS = st.sampled_from(["T-1", "T-2", "", "T" * 65, "T\u00b3", 7, None, ["T-1"]])
INSTANTS = st.sampled_from(
    [
        "2026-03-02T09:00:00Z",
        "2026-03-02T10:00:00+01:00",
        "2026-03-02T09:00:00",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "2199-12-31T23:59:59Z",
        "2200-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2026-03-02T09:00:60Z",
        "2026-02-30T09:00:00Z",
        "2026-03-02T\u06609:00:00Z",
        "2026-03-02 09:00:00z",
        "2026-03-02T09:00:00.999999999+05:30",
        "2026-03-02T09:00:00+24:00",
        1772442000,
        None,
        "",
    ]
) | st.text(max_size=25)
TYPES = st.sampled_from(
    [
        "created",
        "status",
        "priority",
        "assigned",
        "responded",
        "corrected",
        "unassigned",
        "amended",
        "replied",
        "",
        None,
        3,
    ]
)
EXTRA = st.dictionaries(
    st.sampled_from(["priority", "service", "status", "team", "category", "reason", "changes", "note"]),
    st.sampled_from(
        [
            "P1",
            "P2",
            "P9",
            "sso",
            "sap-erp",
            "nowhere",
            "resolved",
            "closed",
            "pending_problem",
            "x",
            "",
            None,
            1,
            1.5,
            10**30,
            True,
            [],
            {},
            {"title": "t"},
        ]
    )
    | st.text(max_size=5),
    max_size=4,
)


@st.composite
def event_line(draw) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.binary(max_size=60))
    if kind == 1:
        depth = draw(st.integers(0, 3000))
        return b"[" * depth + b"]" * draw(st.integers(0, depth))
    record = {"ticket": draw(TICKETS), "at": draw(INSTANTS), "type": draw(TYPES), **draw(EXTRA)}
    for key in draw(st.lists(st.sampled_from(["ticket", "at", "type"]), max_size=1)):
        del record[key]
    line = json.dumps(record, ensure_ascii=draw(st.booleans())).encode()
    if kind == 2:
        line = line[: draw(st.integers(0, len(line)))]
    return line


@st.composite
def event_log(draw) -> list[bytes]:
    """Mostly good lines of two tickets, with a few odd ones among them."""
    good = [
        b'{"ticket":"T-1","at":"2026-03-02T09:00:00Z","type":"created","priority":"P2","service":"sso"}',
        b'{"ticket":"T-1","at":"2026-03-02T09:30:00Z","type":"responded"}',
        b'{"ticket":"T-1","at":"2026-03-02T11:00:00+01:00","type":"status","status":"resolved"}',
        b'{"ticket":"T-2","at":"2026-03-03T09:00:00Z","type":"created","priority":"P1","service":"sap-erp"}',
        b'{"ticket":"T-2","at":"2026-03-03T09:10:00Z","type":"assigned","team":"erp"}',
    ]
    lines = list(good)
    for _ in range(draw(st.integers(0, 3))):
        lines.insert(draw(st.integers(0, len(lines))), draw(event_line()))
    return lines


class TestEventReader:
    @FUZZ
    @given(lines=event_log())
    def test_a_log_is_read_or_refused_line_by_line_and_both_readers_agree(self, lines, reference_contract):
        data = b"\n".join(lines) + b"\n"
        try:
            events = parse_event_log(lines, reference_contract, "EVENTS")
        except EventLogError as error:
            assert error.messages and all(EVENT_PROBLEM.match(message) for message in error.messages), error.messages
            assert read_log_columns(data, reference_contract) is None
            return
        at = parse_instant("2026-04-01T00:00:00Z")
        by_event, by_batch = io.BytesIO(), io.BytesIO()
        write_replay(reference_contract, events, at, by_event)
        replay_log(reference_contract, data, "EVENTS", at, by_batch)
        assert by_batch.getvalue() == by_event.getvalue()
        build_report(reference_contract, b"", events, parse_period("2026-03", "Europe/Berlin"))


# -- periods ---------------------------------------------------------------------------------------------

LABELS = st.sampled_from(
    [
        "2026-03",
        "2026-W10",
        "2026-03-05",
        "1970-01",
        "2199-12",
        "1969-12",
        "2200-01",
        "2500-01",
        "9999-13",
        "0000-01",
        "2026-W53",
        "2020-W53",
        "2026-W00",
        "2026-02-29",
        "2028-02-29",
        "\u0662\u0660\u0662\u0666-03",
        "2026-\u00b3",
        "\u00b3",
        "2026-3",
        "",
        "9" * 5000,
    ]
) | st.text(alphabet="0123456789-W\u0660", max_size=12)
ZONES = st.sampled_from(
    ["Europe/Berlin", "Asia/Shanghai", "UTC", "America/Santiago", "Pacific/Kiritimati", "Nowhere/City", "", "../etc"]
)


class TestPeriods:
    @FUZZ
    @given(LABELS, ZONES)
    def test_a_label_names_a_period_or_is_refused(self, label, zone):
        try:
            period = parse_period(label, zone)
        except PeriodError as error:
            assert str(error)
            return
        assert period.start < period.end

    @settings(max_examples=40, deadline=None)
    @given(LABELS, LABELS)
    def test_a_month_range_is_listed_or_refused(self, first, last):
        try:
            months = month_range(first, last, "Europe/Berlin")
        except PeriodError as error:
            assert str(error)
            return
        assert months[0].label == first and months[-1].label == last

    @settings(max_examples=20, deadline=None)
    @given(label=LABELS)
    def test_a_report_of_any_label_is_made_or_refused(self, label, reference_contract, reference_events):
        try:
            period = parse_period(label, reference_contract.reporting_timezone)
            report = build_report(reference_contract, b"", reference_events, period)
        except (PeriodError, ReportError) as error:
            assert str(error)
            return
        assert report["period"] == label
