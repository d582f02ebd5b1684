"""ServiceNow's field-change exports: ``sys_audit`` and ``metric`` (``metric_instance``).

- ``sys_audit``: a row per change of one field of one record: ``documentkey`` (the record's sys_id),
  ``fieldname``, ``oldvalue``, ``newvalue``, ``sys_created_on``. The changes made when the record was
  inserted (the earliest instant of the record) are its values at opening; for the other fields, the old
  value of their first change is. The ``number`` field, when audited, is the ticket's reference, and
  ``opened_at`` its opening.
- ``metric``: a row per stretch of one value: ``id`` (the record), ``definition``, ``value``, ``start``;
  each stretch's start is a change to its value, the stretches that start at the earliest instant are the
  values at opening. Name each definition in ``source.fields``.

Rows may come in any order (such exports are sorted by time); the whole file is read before the first
ticket is given.
"""

from collections.abc import Iterator
from pathlib import Path

from servicepact.imports.mapping import Mapping
from servicepact.imports.sources.records import (
    MAX_VALUE_LENGTH,
    Columns,
    CsvError,
    SourceProblems,
    SourceTicket,
    TimeReader,
    csv_rows,
    open_text,
)
from servicepact.imports.sources.rows import SourceError

SYS_AUDIT_COLUMNS = {
    "reference": "documentkey",
    "field": "fieldname",
    "value": "newvalue",
    "old": "oldvalue",
    "at": "sys_created_on",
}
METRIC_COLUMNS = {"reference": "id", "field": "definition", "value": "value", "old": "", "at": "start"}
SYS_AUDIT_FIELDS = {
    "incident_state": "state",
    "state": "state",
    "priority": "priority",
    "impact": "impact",
    "urgency": "urgency",
    "assignment_group": "group",
    "assigned_to": "assignee",
    "caller_id": "requester",
    "category": "category",
    "subcategory": "subcategory",
    "business_service": "service",
    "short_description": "title",
    "opened_at": "opened_at",
    "number": "reference",
    "made_sla": "made_sla",
}
METRIC_FIELDS = {"Incident State Duration": "state", "Assignment Group": "group", "Assigned to Duration": "assignee"}
_INITIAL_ONLY = ("requester", "title", "made_sla")


class AuditReader:
    def __init__(self, path: Path, mapping: Mapping, problems: SourceProblems):
        self.path = path
        self.mapping = mapping
        self.problems = problems
        source = mapping.doc.source
        self.metric = source.layout_name == "metric"
        self.columns = dict(METRIC_COLUMNS if self.metric else SYS_AUDIT_COLUMNS)
        for name in ("reference", "at"):
            if name in source.columns:
                self.columns[name] = source.columns[name]
        self.fields = {**(METRIC_FIELDS if self.metric else SYS_AUDIT_FIELDS), **source.fields}
        nulls = source.null_values
        self.nulls = frozenset(("", "NULL") if nulls is None else nulls)
        self.times = TimeReader(mapping.zone, source.time_format)
        self.delimiter = source.delimiter

    def tickets(self) -> Iterator[SourceTicket]:
        try:
            yield from self._tickets()
        except UnicodeDecodeError as error:
            raise SourceError(f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from None
        except CsvError as error:
            raise SourceError(str(error)) from None

    def _tickets(self) -> Iterator[SourceTicket]:
        records: dict[str, list[tuple[int, int, str, str | None, str | None]]] = {}
        with open_text(self.path, (".csv", ".txt")) as stream:
            rows = csv_rows(stream, self.delimiter)
            first = next(rows, None)
            if first is None:
                raise SourceError("line 1: the file holds no header row")
            wanted = {name: column for name, column in self.columns.items() if column}
            columns = Columns(first[1], wanted, ("reference", "field", "value", "at"))
            if columns.missing:
                raise SourceError(f"line {first[0]}: the header has no column for {', '.join(columns.missing)}")
            for line, cells in rows:
                self.problems.rows += 1
                reference, field_name, value, old, at_text = (
                    self._cell(cells, columns.of(name)) for name in ("reference", "field", "value", "old", "at")
                )
                if reference is None or field_name is None or at_text is None:
                    missing = "record" if reference is None else "field name" if field_name is None else "time"
                    self.problems.bad(line, "", f"no {missing}")
                    continue
                if max(len(value or ""), len(old or ""), len(reference)) > MAX_VALUE_LENGTH:
                    self.problems.bad(line, "", f"a value longer than {MAX_VALUE_LENGTH} characters")
                    continue
                name = self.fields.get(field_name)
                if name is None:
                    continue  # a field servicepact does not keep
                try:
                    at = self.times.read(at_text)
                except ValueError as problem:
                    self.problems.bad(line, self.columns["at"], str(problem))
                    continue
                records.setdefault(reference, []).append((at, line, name, value, old))
        for key, changes in records.items():
            yield self._ticket(key, changes)

    def _cell(self, cells: list[str], index: int | None) -> str | None:
        if index is None or index >= len(cells):
            return None
        value = cells[index].strip()
        return None if value in self.nulls else value

    def _ticket(self, key: str, records: list[tuple[int, int, str, str | None, str | None]]) -> SourceTicket:
        records.sort(key=lambda record: (record[0], record[1]))
        inserted = records[0][0]
        reference = next((value for _at, _line, name, value, _old in records if name == "reference" and value), key)
        opened = inserted
        for _at, line, name, value, _old in records:
            if name == "opened_at" and value:
                try:
                    opened = self.times.read(value)
                except ValueError as problem:
                    self.problems.bad(line, "opened_at", str(problem))
                break
        initial: dict[str, str | None] = {}
        changes = []
        clamped = 0
        first_line: dict[int, int] = {}
        for at, line, name, value, old in records:
            if name in ("reference", "opened_at"):
                continue
            if name == "made_sla":
                initial[name] = value
                continue
            if at == inserted and name not in initial:
                initial[name] = value
                continue
            if name not in initial:
                initial[name] = old
            if name in _INITIAL_ONLY:
                continue
            if at < opened:
                clamped += 1
                at = opened
            # The changes of one instant are one update of the record, whatever their lines.
            changes.append((at, first_line.setdefault(at, line), name, value))
        state = initial.pop("state", None)
        if state is not None:
            changes.insert(0, (opened, records[0][1], "state", state))
        ticket = SourceTicket(reference, records[0][1], opened, initial, changes, clamped=clamped)
        clock = self.mapping.doc.sla.get("made_sla")
        made_sla = initial.pop("made_sla", None)
        if clock and made_sla is not None:
            ticket.verdicts[clock] = "met" if made_sla.lower() in ("true", "1") else "breached"
        return ticket
