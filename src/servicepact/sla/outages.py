"""The outage log (SLA-SPEC section 6): parsing, validation and the canonical form the digest hashes.

An outage log is UTF-8 JSON Lines, one outage an object, of any services in any order:
``service`` (a service of the contract), ``start``, optional ``end`` (absent or null: still down),
``planned`` (a boolean) and optional ``ref``. Parsing reports every bad line at once, as
``OUTAGES:LINE: message``, so a whole export can be fixed in one go.

The bounds are the event reader's: lines are decoded by orjson (which refuses nesting deeper than 1024
levels, numbers beyond 64 bits and NUL in strings), instants lie in the kernel's range (timefmt: 1970
to 2199), and a ``ref`` has at most ``MAX_REF_LENGTH`` characters, like a ticket id. Lines that are
empty or only whitespace carry no outage and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from servicepact.sla.events import collector_paused, display_source
from servicepact.sla.timefmt import InstantError, format_instant, parse_instant

OUTAGE_KEYS = ("service", "start", "end", "planned", "ref")
REQUIRED_KEYS = ("service", "start", "planned")
# A reference names a ticket, change or record (GLX-1042, CHG-0042): never prose.
MAX_REF_LENGTH = 64


class OutageLogError(Exception):
    """A log with bad lines; ``messages`` holds every one as ``OUTAGES:LINE: message``, in line order."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True, slots=True)
class Outage:
    service: str
    start: int  # epoch seconds, UTC
    end: int | None  # None: still down
    planned: bool
    ref: str | None
    line: int  # line in the source log, which orders outages that are otherwise equal

    def clipped(self, start: int, end: int) -> tuple[int, int] | None:
        """The part of the outage inside [start, end); an open outage runs to ``end``."""
        low = max(self.start, start)
        high = end if self.end is None else min(self.end, end)
        return (low, high) if high > low else None

    def canonical_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "service": self.service,
            "start": format_instant(self.start),
            "end": None if self.end is None else format_instant(self.end),
            "planned": self.planned,
        }
        if self.ref is not None:
            record["ref"] = self.ref
        return record


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )


def _instant(record: dict, field: str, errors: list[str]) -> int | None:
    value = record[field]
    if type(value) is not str:
        errors.append(f"field {field!r} must be a string, got {_type_name(value)}")
        return None
    try:
        return parse_instant(value)
    except InstantError as problem:
        errors.append(f"field {field!r}: {problem}")
        return None


def check_outage(record: Any, services: Mapping[str, Any], line: int) -> tuple[Outage | None, list[str]]:
    """The Outage of one decoded line, or None with every problem of the line."""
    if type(record) is not dict:
        return None, [f"an outage must be a JSON object, got {_type_name(record)}"]
    errors: list[str] = []
    unknown = [key for key in record if key not in OUTAGE_KEYS]
    for key in unknown:
        shown = key if len(key) <= 64 else key[:40] + "..."
        errors.append(f"unknown key {shown!r} (allowed: {', '.join(OUTAGE_KEYS)})")
    for key in REQUIRED_KEYS:
        if key not in record:
            errors.append(f"missing field {key!r}")
    service = record.get("service")
    if "service" in record:
        if type(service) is not str:
            errors.append(f"field 'service' must be a string, got {_type_name(service)}")
        elif service not in services:
            shown = service if len(service) <= 64 else service[:40] + "..."
            errors.append(f"unknown service {shown!r} (allowed: {', '.join(sorted(services))})")
    start = _instant(record, "start", errors) if "start" in record else None
    end = _instant(record, "end", errors) if record.get("end") is not None else None
    if start is not None and end is not None and end <= start:
        errors.append(f"'end' ({record['end']}) is not after 'start' ({record['start']})")
    planned = record.get("planned")
    if "planned" in record and type(planned) is not bool:
        errors.append(f"field 'planned' must be true or false, got {_type_name(planned)}")
    ref = record.get("ref")
    if "ref" in record:
        if type(ref) is not str:
            errors.append(f"field 'ref' must be a string, got {_type_name(ref)}")
        elif not ref:
            errors.append("field 'ref' is empty")
        elif len(ref) > MAX_REF_LENGTH:
            errors.append(f"field 'ref' has {len(ref)} characters; a reference has at most {MAX_REF_LENGTH}")
    if errors:
        return None, errors
    return Outage(service, start, end, planned, ref, line), []


def parse_outage_log(lines: Iterable[bytes | str], services: Mapping[str, Any], source: str) -> list[Outage]:
    """The outages in file order; raises OutageLogError listing every bad line.

    ``services`` are the contract's (every version's, when several are given); ``source`` names the log
    in messages, ``-`` (standard input) shown as ``<stdin>``.
    """
    name = display_source(source)
    outages: list[Outage] = []
    problems: list[str] = []
    with collector_paused():
        for line_number, raw in enumerate(lines, start=1):
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError as problem:
                if not raw.strip():
                    continue
                problems.append(f"{name}:{line_number}: invalid JSON: {problem}")
                continue
            outage, errors = check_outage(record, services, line_number)
            if outage is None:
                problems.extend(f"{name}:{line_number}: {message}" for message in errors)
            else:
                outages.append(outage)
    if problems:
        raise OutageLogError(problems)
    return outages


def _canonical_order(outage: Outage) -> tuple:
    # an open end sorts after every closed one; ties keep their file order
    return outage.service, outage.start, outage.end is None, outage.end or 0, outage.line


def canonical_outage_lines(outages: Sequence[Outage]) -> Iterator[bytes]:
    """The canonical outage log line by line (docs/measures.md, "The canonical outage log"):

    - outages sorted by ``service`` (by code point), then ``start``, then ``end`` with an open end last,
      ties in their order in the source file;
    - each one JSON object with the keys ``end``, ``planned``, ``ref`` (only when the outage has one),
      ``service`` and ``start``, sorted by code point; ``end`` is always present, ``null`` when open;
      instants as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC; ``planned`` as ``true`` or ``false``;
    - written compactly, strings as UTF-8 without ``\\u`` escapes except those JSON requires, as orjson
      writes them; every line, the last one included, ends with a single ``\\n``; no byte-order mark.
    """
    option = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
    for outage in sorted(outages, key=_canonical_order):
        yield orjson.dumps(outage.canonical_record(), option=option)


def canonical_outage_log(outages: Sequence[Outage]) -> bytes:
    return b"".join(canonical_outage_lines(outages))
