"""The event log (SLA-SPEC section 3): parsing, validation and the canonical form (section 5).

An event log is UTF-8 JSON Lines, one event an object, of any number of tickets in any order. Parsing
reports every bad line at once, as ``EVENTS:LINE: message``, so a whole export can be fixed in one go.

Beside the spec's types, a `corrected` event sets a ticket's service or category right after the fact
(docs/measures.md, "Corrections"); it is retroactive, so it may follow `closed`. For history brought from
other tools (docs/measures.md, "Imported history"): `unassigned` puts a ticket back in no team's queue,
`amended` records a change that no clock reads (it may follow `closed`, as changes made to a closed
ticket in the source tool do), and the status `pending_problem` is a wait on a problem record.

Instants lie in the kernel's range (timefmt: 1970 to 2199) and ticket ids have at most
``MAX_TICKET_ID_LENGTH`` characters; anything else is a bad line with its message, never an error later.

Lines that are empty or only whitespace carry no event and are skipped. Fields beyond the ones the spec
names (an export's ``actor`` or ``note``) are kept in ``Event.data`` and in the canonical log, because
the canonical log must describe the very input that was used.
"""

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Protocol

import orjson

from servicepact.sla.timefmt import UTC_HOUR_STARTS, InstantError, format_instant, parse_instant

EVENT_TYPES = ("created", "status", "priority", "assigned", "responded", "corrected", "unassigned", "amended")
# Fields a `corrected` event may set: what the ticket was about all along (see clock_trace.ticket_facts).
CORRECTABLE_FIELDS = ("service", "category")
STATUSES = (
    "new",
    "assigned",
    "in_progress",
    "pending_customer",
    "pending_vendor",
    "pending_problem",
    "resolved",
    "closed",
)
# Types that may follow `closed`: they change nothing the clocks read after it.
AFTER_CLOSED_TYPES = frozenset({"corrected", "amended"})
# Statuses in which a ticket's work is finished; the resolution clock is stopped in them.
STOPPED_STATUSES = frozenset({"resolved", "closed"})
# The longest ticket id: ids are numbers like GLX-1042 or an imported tool's INC0012345, never text.
MAX_TICKET_ID_LENGTH = 64

_EVENT_TYPE_SET = frozenset(EVENT_TYPES)
_STATUS_SET = frozenset(STATUSES)


class ContractVocabulary(Protocol):
    """What validation needs from a contract: its priorities and services."""

    priorities: Sequence[str]
    services: Mapping[str, Any]


@dataclass(slots=True)
class Event:
    ticket: str
    at: int  # epoch seconds, UTC
    type: str
    line: int  # line in the source log, which orders events of the same instant
    data: dict  # the event's other fields, as given


class EventLogError(Exception):
    """A log with bad lines; ``messages`` holds every one as ``EVENTS:LINE: message``, in line order."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def display_source(source: str) -> str:
    return "<stdin>" if source == "-" else source


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )


def _allowed(values: Iterable[str]) -> str:
    return ", ".join(values)


class _LineChecker:
    """Validates one decoded line at a time against the contract's vocabulary."""

    def __init__(self, contract: ContractVocabulary):
        self.priorities = tuple(contract.priorities)
        self.priority_set = frozenset(self.priorities)
        self.services = tuple(sorted(contract.services))
        self.service_set = frozenset(self.services)

    def string_field(self, record: dict, field: str, errors: list[str], *, required: bool = True) -> str | None:
        value = record.get(field)
        if value is None:
            if required:
                errors.append(f"missing field {field!r}" if field not in record else f"field {field!r} is null")
            return None
        if type(value) is not str:
            errors.append(f"field {field!r} must be a string, got {_type_name(value)}")
            return None
        if required and not value:
            errors.append(f"field {field!r} is empty")
            return None
        return value

    def check(self, record: dict, errors: list[str]) -> tuple[str, int, str, dict] | None:
        """(ticket, at, type, data) of a valid event; else None with the problems appended to errors."""
        ticket = self.string_field(record, "ticket", errors)
        if ticket is not None and len(ticket) > MAX_TICKET_ID_LENGTH:
            errors.append(
                f"field 'ticket' has {len(ticket)} characters; a ticket id has at most {MAX_TICKET_ID_LENGTH}"
            )
            ticket = None
        at_text = self.string_field(record, "at", errors)
        at = None
        if at_text is not None:
            try:
                at = parse_instant(at_text)
            except InstantError as problem:
                errors.append(f"field 'at': {problem}")
        event_type = self.string_field(record, "type", errors)
        if event_type is not None and event_type not in _EVENT_TYPE_SET:
            errors.append(f"unknown event type {event_type!r} (allowed: {_allowed(EVENT_TYPES)})")
            event_type = None
        if event_type == "created":
            self.check_priority(record, errors)
            service = self.string_field(record, "service", errors)
            if service is not None and service not in self.service_set:
                errors.append(f"unknown service {service!r} (allowed: {_allowed(self.services)})")
            self.string_field(record, "category", errors, required=False)
            self.string_field(record, "team", errors, required=False)
        elif event_type == "status":
            status = self.string_field(record, "status", errors)
            if status is not None and status not in _STATUS_SET:
                errors.append(f"unknown status {status!r} (allowed: {_allowed(STATUSES)})")
        elif event_type == "priority":
            self.check_priority(record, errors)
        elif event_type == "assigned":
            self.string_field(record, "team", errors)
        elif event_type == "corrected":
            self.check_correction(record, errors)
        elif event_type == "unassigned":
            self.string_field(record, "reason", errors, required=False)
        elif event_type == "amended":
            changes = record.get("changes")
            if type(changes) is not dict or not changes:
                errors.append(
                    "an 'amended' event needs 'changes', an object naming what changed"
                    if changes is None
                    else f"field 'changes' must be a non-empty object, got {_type_name(changes)}"
                )
        if errors or ticket is None or at is None or event_type is None:
            return None
        data = dict(record)
        del data["ticket"], data["at"], data["type"]
        return ticket, at, event_type, data

    def check_correction(self, record: dict, errors: list[str]) -> None:
        """A correction names a known service, a category (null: none), or both; the reason is text."""
        if not any(field in record for field in CORRECTABLE_FIELDS):
            errors.append("a 'corrected' event needs 'service' or 'category'")
        if "service" in record:
            service = self.string_field(record, "service", errors)
            if service is not None and service not in self.service_set:
                errors.append(f"unknown service {service!r} (allowed: {_allowed(self.services)})")
        if record.get("category") is not None:
            self.string_field(record, "category", errors)
        self.string_field(record, "reason", errors, required=False)

    def check_priority(self, record: dict, errors: list[str]) -> None:
        priority = self.string_field(record, "priority", errors)
        if priority is not None and priority not in self.priority_set:
            errors.append(f"unknown priority {priority!r} (allowed: {_allowed(self.priorities)})")


def _fast_acceptor(checker: _LineChecker):
    """A function that turns a decoded line into an Event when it is plainly valid, else returns None.

    It accepts exactly what ``_LineChecker.check`` accepts (the tests hold both to that); it only
    avoids that method's bookkeeping for the common case.
    """
    priorities = checker.priority_set
    services = checker.service_set
    hour_cache = UTC_HOUR_STARTS

    def optional_string(value: object) -> bool:
        return value is None or type(value) is str

    def accept(record: dict, line_number: int) -> Event | None:
        ticket = record.get("ticket")
        at_text = record.get("at")
        event_type = record.get("type")
        if type(ticket) is not str or not ticket or type(at_text) is not str or type(event_type) is not str:
            return None
        if len(ticket) > MAX_TICKET_ID_LENGTH:
            return None
        if event_type == "status":
            value = record.get("status")
            if type(value) is not str or value not in _STATUS_SET:
                return None
        elif event_type == "responded":
            pass
        elif event_type == "assigned":
            value = record.get("team")
            if type(value) is not str or not value:
                return None
        elif event_type == "created":
            priority, service = record.get("priority"), record.get("service")
            if (
                type(priority) is not str
                or priority not in priorities
                or type(service) is not str
                or service not in services
            ):
                return None
            if not optional_string(record.get("category")) or not optional_string(record.get("team")):
                return None
        elif event_type == "priority":
            value = record.get("priority")
            if type(value) is not str or value not in priorities:
                return None
        else:
            return None
        # The UTC form with a known hour is read here directly: parse_instant's own fast path, inlined,
        # as this runs for every line of a log.
        hour_start = hour_cache.get(at_text[:13]) if len(at_text) == 20 and at_text[19] == "Z" else None
        minute_text, second_text = at_text[14:16], at_text[17:19]
        if (
            hour_start is not None
            and at_text[13] == ":"
            and at_text[16] == ":"
            and minute_text.isdigit()
            and second_text.isdigit()
            and at_text.isascii()
            and minute_text < "60"
            and second_text < "60"
        ):
            at = hour_start + int(minute_text) * 60 + int(second_text)
        else:
            try:
                at = parse_instant(at_text)
            except InstantError:
                return None
        del record["ticket"], record["at"], record["type"]
        return Event(ticket, at, event_type, line_number, record)

    return accept


class LineReader:
    """Reads single lines of a log into Events, as ``parse_event_log`` does, for readers that only need
    to know whether a line is good (the batch replay reads most lines without it)."""

    BLANK: Event = Event("", 0, "", 0, {})  # what a line that holds no event reads as

    def __init__(self, contract: ContractVocabulary):
        self.checker = _LineChecker(contract)
        self._accept = _fast_acceptor(self.checker)

    def record_event(self, record: dict, line_number: int) -> Event | None:
        """The Event of a decoded line, or None if it is not a valid event (``record`` may be consumed)."""
        event = self._accept(record, line_number)
        if event is None:
            checked = self.checker.check(record, [])
            if checked is not None:
                event = Event(checked[0], checked[1], checked[2], line_number, checked[3])
        return event

    def read(self, raw: bytes | str, line_number: int) -> Event | None:
        """The line's Event, ``BLANK`` for an empty or blank line, or None for a bad line."""
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return self.BLANK if not raw.strip() else None
        return self.record_event(record, line_number) if type(record) is dict else None


def _decode(raw: bytes | str, errors: list[str]) -> dict | None:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as problem:
        errors.append(f"invalid JSON: {problem}")
        return None
    if type(record) is not dict:
        errors.append(f"an event must be a JSON object, got {_type_name(record)}")
        return None
    return record


def _check_ticket_order(ticket: str, events: list[Event], problems: list[tuple[int, str]]) -> None:
    """Section 3's rules on a ticket's sorted events: created first and once, nothing after closed."""
    first = events[0]
    if first.type != "created":
        created_lines = [event.line for event in events if event.type == "created"]
        where = f"; its 'created' is on line {created_lines[0]}, later in time" if created_lines else ""
        problems.append((first.line, f"first event of ticket {ticket!r} is {first.type!r}, not 'created'{where}"))
    seen_created = first.type == "created"
    closed_line = 0
    for event in events[1:] if seen_created else events:
        if event.type in AFTER_CLOSED_TYPES:
            continue  # a correction is about the ticket's whole life; an amendment changes no clock
        if closed_line:
            problems.append(
                (event.line, f"event {event.type!r} of ticket {ticket!r} after it was closed (line {closed_line})")
            )
            continue
        if event.type == "created":
            if seen_created:
                problems.append((event.line, f"second 'created' for ticket {ticket!r} (first on line {first.line})"))
            seen_created = True
        elif event.type == "status" and event.data["status"] == "closed":
            closed_line = event.line


def parse_event_log(lines: Iterable[bytes | str], contract: ContractVocabulary, source: str) -> dict[str, list[Event]]:
    """Events per ticket, each ticket's sorted by (instant, line); raises EventLogError listing every bad line.

    ``source`` names the log in messages; ``-`` (standard input) is shown as ``<stdin>``.
    """
    with collector_paused():
        return _parse_lines(lines, contract, display_source(source))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector while a log's events are built.

    A log makes hundreds of thousands of small objects that hold no reference cycles; left on, the
    collector scans the growing heap again and again, which costs about a third of the parsing time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_lines(lines: Iterable[bytes | str], contract: ContractVocabulary, name: str) -> dict[str, list[Event]]:
    checker = _LineChecker(contract)
    accept = _fast_acceptor(checker)
    by_ticket: dict[str, list[Event]] = {}
    problems: list[tuple[int, str]] = []
    loads = orjson.loads
    for line_number, raw in enumerate(lines, start=1):
        # Fast path: a well-formed event is accepted with a handful of checks; anything else goes to
        # the thorough checker, which finds every problem of the line and words it.
        try:
            record = loads(raw)
        except orjson.JSONDecodeError:
            record = None
        event = accept(record, line_number) if type(record) is dict else None
        if event is None:
            if record is None and not raw.strip():
                continue
            errors: list[str] = []
            record = _decode(raw, errors)
            checked = checker.check(record, errors) if record is not None else None
            if checked is None:
                problems.extend((line_number, message) for message in errors)
                continue
            event = Event(checked[0], checked[1], checked[2], line_number, checked[3])
        ticket_events = by_ticket.get(event.ticket)
        if ticket_events is None:
            by_ticket[event.ticket] = [event]
        else:
            ticket_events.append(event)
    for ticket, events in by_ticket.items():
        # Stable sort by instant: events of the same instant keep their file order.
        events.sort(key=_instant_of)
        _check_ticket_order(ticket, events, problems)
    if problems:
        problems.sort(key=lambda problem: problem[0])
        raise EventLogError([f"{name}:{line}: {message}" for line, message in problems])
    return by_ticket


_instant_of = attrgetter("at")


def _event_order(event: Event) -> tuple[int, int]:
    return event.at, event.line


def canonical_event_log(events_by_ticket: Mapping[str, Sequence[Event]]) -> bytes:
    """The canonical bytes of an event log, which a report's digest hashes (SLA-SPEC section 5).

    Exact layout, so that anyone can recompute it:
    - tickets in ascending order of their id compared by Unicode code point (the same as by UTF-8 bytes);
      within a ticket, events by instant, events of the same instant in their order in the source file;
    - each event is one JSON object holding ``ticket``, ``at``, ``type`` and every other field it had in
      the source (the source line number is not part of it); ``at`` is the UTC instant written as
      ``YYYY-MM-DDTHH:MM:SSZ`` (sub-second parts already dropped);
    - the object is written compactly (no space after ``:`` or ``,``), keys sorted by code point at every
      nesting level, strings as UTF-8 without ``\\u`` escapes except those JSON requires (``"``, ``\\``
      and control characters), numbers as they were read (integers in decimal, floats in their shortest
      round-trip form), as the orjson library writes them;
    - every line, the last one included, ends with a single ``\\n`` (0x0A); no byte-order mark.
    """
    return b"".join(canonical_event_lines(events_by_ticket))


def canonical_event_lines(events_by_ticket: Mapping[str, Sequence[Event]]) -> Iterator[bytes]:
    """The lines of ``canonical_event_log`` one by one, each with its ``\\n``, for hashing a large log
    without holding it (millions of small buffers would also fragment the heap)."""
    option = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
    for ticket in sorted(events_by_ticket):
        for event in sorted(events_by_ticket[ticket], key=_event_order):
            record = dict(event.data)
            record["ticket"] = event.ticket
            record["at"] = format_instant(event.at)
            record["type"] = event.type
            yield orjson.dumps(record, option=option)
