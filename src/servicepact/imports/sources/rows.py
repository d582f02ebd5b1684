"""CSV layouts: a row per update (ServiceNow's incident audit, a row per change of a CSV), a row per ticket.

- ``incident_audit`` (ServiceNow): each row is the whole incident after one update: its number, the state,
  group, priority ... and when the update was made (``sys_updated_at``, ordered by ``sys_mod_count``
  within one instant). An empty or null cell (``?``) means no value. The first row's values are the
  ticket's values when it was opened (``opened_at``); each later row that differs is a change.
- ``events`` (CSV): each row is a change of one ticket at one instant; the cells given change, an empty
  cell leaves the field as it was, ``(none)`` (or the ``null_values``) clears it. The ticket's first row is
  its opening.
- ``tickets`` (CSV): one row per ticket, with its values, ``opened_at`` and, when known, ``responded_at``,
  ``resolved_at`` and ``closed_at``; the statuses in between are unknown (the report says so).

The rows of one ticket must stand together (as a list sorted by number does); a number that comes back
after another ticket's rows is a bad row.
"""

from collections.abc import Iterator
from pathlib import Path

from servicepact.imports.mapping import FIELDS, TRACKED, Mapping
from servicepact.imports.sources.records import (
    MAX_VALUE_LENGTH,
    RESPONDED,
    STATUS,
    Columns,
    CsvError,
    SourceProblems,
    SourceTicket,
    TimeReader,
    csv_rows,
    open_text,
)

INCIDENT_AUDIT_COLUMNS = {
    "reference": "number",
    "at": "sys_updated_at",
    "order": "sys_mod_count",
    "opened_at": "opened_at",
    "state": "incident_state",
    "priority": "priority",
    "impact": "impact",
    "urgency": "urgency",
    "group": "assignment_group",
    "assignee": "assigned_to",
    "requester": "caller_id",
    "category": "category",
    "subcategory": "subcategory",
    "service": "business_service",
    "title": "short_description",
    "made_sla": "made_sla",
}
CSV_COLUMNS = {name: name for name in FIELDS}
# What a row carries beside the tracked fields.
_EXTRA = ("requester", "title", "made_sla")
_VALUES = (*TRACKED, *_EXTRA)
_STATE = TRACKED.index("state")
_MADE_SLA = len(_VALUES) - 1


class SourceError(ValueError):
    """A file that cannot be read at all (not CSV, a required column missing): one message, with its line."""


def _null_values(mapping: Mapping, default: tuple[str, ...]) -> frozenset[str]:
    given = mapping.doc.source.null_values
    return frozenset(default if given is None else given)


class RowReader:
    """Reads the rows of one layout into SourceTickets, noting every bad row in ``problems``."""

    def __init__(self, path: Path, mapping: Mapping, problems: SourceProblems):
        self.path = path
        self.mapping = mapping
        self.problems = problems
        source = mapping.doc.source
        self.layout = source.layout_name
        self.snapshot = self.layout == "incident_audit"
        defaults = INCIDENT_AUDIT_COLUMNS if source.tool == "servicenow" else CSV_COLUMNS
        self.wanted = {**defaults, **source.columns}
        if self.layout == "incident_audit":
            self.nulls = _null_values(mapping, ("", "?", "NULL"))
        elif self.layout == "events":
            self.nulls = _null_values(mapping, ("(none)",))
        else:
            self.nulls = _null_values(mapping, ("",))
        self.times = TimeReader(mapping.zone, source.time_format)
        self.delimiter = source.delimiter

    def tickets(self) -> Iterator[SourceTicket]:
        try:
            with open_text(self.path, (".csv", ".txt")) as stream:
                rows = csv_rows(stream, self.delimiter)
                first = next(rows, None)
                if first is None:
                    raise SourceError("line 1: the file holds no header row")
                required = ("reference", "opened_at") if self.layout == "tickets" else ("reference", "at")
                columns = Columns(first[1], self.wanted, required)
                if columns.missing:
                    raise SourceError(
                        f"line {first[0]}: the header has no column for {', '.join(columns.missing)}; "
                        f"name it under source.columns"
                    )
                if self.layout == "tickets":
                    yield from self._per_ticket(rows, columns)
                else:
                    yield from self._per_change(rows, columns)
        except UnicodeDecodeError as error:
            raise SourceError(f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from None
        except CsvError as error:
            raise SourceError(str(error)) from None

    # -- reading cells ---------------------------------------------------------------------------------------

    def _cell(self, cells: list[str], index: int | None, line: int, name: str) -> str | None:
        if index is None or index >= len(cells):
            return None
        value = cells[index].strip()
        if len(value) > MAX_VALUE_LENGTH:
            self.problems.bad(line, self.wanted.get(name, name), f"longer than {MAX_VALUE_LENGTH} characters")
            return None
        return None if value in self.nulls else value

    def _time(self, cells: list[str], columns: Columns, name: str, line: int) -> int | None:
        text = self._cell(cells, columns.of(name), line, name)
        if text is None:
            return None
        try:
            return self.times.read(text)
        except ValueError as problem:
            self.problems.bad(line, self.wanted[name], str(problem))
            raise

    # -- a row per change ------------------------------------------------------------------------------------

    def _per_change(self, rows, columns: Columns) -> Iterator[SourceTicket]:
        # The hot loop of a large import: cells are read by position with local names only.
        positions = [-1 if index is None else index for index in (columns.of(name) for name in _VALUES)]
        reference_at, time_at = columns.of("reference"), columns.of("at")
        opened_at = -1 if columns.of("opened_at") is None else columns.of("opened_at")
        order_at = -1 if columns.of("order") is None else columns.of("order")
        nulls, snapshot, seen, read_time = self.nulls, self.snapshot, self.times._seen, self.times.read
        bad = self.problems.bad
        current: str | None = None
        group: list[tuple] = []
        finished: set[str] = set()
        first_lines: dict[str, int] = {}
        count = 0
        for line, cells in rows:
            count += 1
            width = len(cells)
            raw = [cells[index].strip() if 0 <= index < width else "" for index in positions]
            reference = cells[reference_at].strip() if reference_at < width else ""
            at_text = cells[time_at].strip() if time_at < width else ""
            opened_text = cells[opened_at].strip() if 0 <= opened_at < width else ""
            if not reference or reference in nulls:
                bad(line, self.wanted["reference"], "no ticket number")
                continue
            if max(map(len, raw)) > MAX_VALUE_LENGTH or len(reference) > 128:
                bad(line, "", f"a cell longer than {MAX_VALUE_LENGTH} characters")
                continue
            if not at_text or at_text in nulls:
                bad(line, self.wanted["at"], "no time")
                continue
            try:
                at = seen.get(at_text)
                if at is None:
                    at = read_time(at_text)
                opened = None
                if opened_text and opened_text not in nulls:
                    opened = seen.get(opened_text)
                    if opened is None:
                        opened = read_time(opened_text)
            except ValueError as problem:
                bad(line, self.wanted["at"] if at is None else self.wanted["opened_at"], str(problem))
                continue
            if reference != current:
                if group:
                    yield from self._ticket(current, group)
                    finished.add(current)
                if reference in finished:
                    bad(
                        line,
                        self.wanted["reference"],
                        f"ticket {reference} (first on line {first_lines[reference]}) "
                        "comes back after other tickets' rows; sort the export by number",
                    )
                    current, group = None, []
                    continue
                current, group = reference, []
                first_lines[reference] = line
            order_text = cells[order_at].strip() if 0 <= order_at < width else ""
            order = int(order_text) if order_text.isdigit() and len(order_text) < 10 else 0
            if snapshot:
                values = tuple(None if value in nulls or not value else value for value in raw)
                given = None
            else:
                values = tuple(None if value in nulls else (value or None) for value in raw)
                given = tuple(value != "" for value in raw)
            group.append((at, order, line, opened, values, given))
        self.problems.rows += count
        if group:
            yield from self._ticket(current, group)

    def _ticket(self, reference: str, group: list[tuple]) -> Iterator[SourceTicket]:
        first_line = group[0][2]
        opened = next((row[3] for row in group if row[3] is not None), None)
        group.sort(key=lambda row: (row[0], row[1], row[2]))
        if opened is None:
            opened = group[0][0]
        first_values = group[0][4]
        ticket = SourceTicket(
            reference,
            first_line,
            opened,
            {name: value for name, value in zip(_VALUES, first_values) if name != "state"},
        )
        changes = ticket.changes
        state = first_values[_STATE]
        if state is not None or self.snapshot:
            changes.append((max(group[0][0], opened), group[0][2], "state", state))
        previous = list(first_values)
        for at, _order, line, _opened, values, given in group[1:]:
            if at < opened:
                ticket.clamped += 1
                at = opened
            for position, name in enumerate(TRACKED):
                value = values[position]
                if self.snapshot:
                    if value != previous[position]:
                        changes.append((at, line, name, value))
                        previous[position] = value
                elif given[position]:
                    changes.append((at, line, name, value))
        if group[0][0] < opened:
            ticket.clamped += 1
        elif group[0][0] > opened and self.snapshot:
            self.problems.note("first_row_values")
        made_sla = group[-1][4][_MADE_SLA]
        self._verdict(ticket, made_sla)
        yield ticket

    def _verdict(self, ticket: SourceTicket, made_sla: str | None) -> None:
        clock = self.mapping.doc.sla.get("made_sla")
        if clock and made_sla is not None:
            ticket.verdicts[clock] = "met" if made_sla.lower() in ("true", "1", "yes") else "breached"

    # -- a row per ticket ------------------------------------------------------------------------------------

    def _per_ticket(self, rows, columns: Columns) -> Iterator[SourceTicket]:
        seen: dict[str, int] = {}
        for line, cells in rows:
            self.problems.rows += 1
            reference = self._cell(cells, columns.of("reference"), line, "reference")
            if reference is None:
                self.problems.bad(line, self.wanted["reference"], "no ticket number")
                continue
            if reference in seen:
                self.problems.bad(
                    line, self.wanted["reference"], f"ticket {reference} is also on line {seen[reference]}"
                )
                continue
            seen[reference] = line
            try:
                opened, responded, resolved, closed = (
                    self._time(cells, columns, name, line)
                    for name in ("opened_at", "responded_at", "resolved_at", "closed_at")
                )
            except ValueError:
                continue
            if opened is None:
                self.problems.bad(line, self.wanted["opened_at"], "no opening time")
                continue
            values = {name: self._cell(cells, columns.of(name), line, name) for name in _VALUES}
            state = values.pop("state")
            ticket = SourceTicket(reference, line, opened, values)
            later = [
                (at, name)
                for at, name in ((responded, "responded_at"), (resolved, "resolved_at"), (closed, "closed_at"))
                if at is not None and at < opened
            ]
            for _at, name in later:
                self.problems.bad(line, self.wanted[name], "before the ticket was opened")
            if later:
                continue
            if responded is not None:
                ticket.changes.append((responded, line, RESPONDED, None))
            if resolved is not None or closed is not None:
                ticket.changes.append((resolved if resolved is not None else closed, line, STATUS, "resolved"))
                if closed is not None:
                    ticket.changes.append((max(closed, resolved or closed), line, STATUS, "closed"))
                self.problems.note("per_ticket_history")
            elif state is not None:
                ticket.changes.append((opened, line, "state", state))
                self.problems.note("per_ticket_open_state")
            ticket.changes.sort(key=lambda change: change[0])
            self._verdict(ticket, values.get("made_sla"))
            yield ticket
