"""Jira Service Management: its JSON export of issues with their changelog and SLA fields.

The file is what Jira's search gives with ``expand=changelog``: an object with ``issues`` (or a list of
issues). Each issue's ``fields`` hold its values now; its ``changelog.histories`` the changes, each with
``created`` and ``items`` (``field`` or ``fieldId``, ``fromString``, ``toString``). The values at opening
are the ``fromString`` of each field's first change, else the value now. An SLA field (an object with
``name``, ``completedCycles`` and ``ongoingCycle``) gives the first response (``response.sla``: the end of
its first completed cycle) and Jira's own verdict (``sla``: breached or not).
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from servicepact.imports.mapping import TRACKED, Mapping
from servicepact.imports.sources.records import (
    MAX_VALUE_LENGTH,
    RESPONDED,
    SourceProblems,
    SourceTicket,
    TimeReader,
    open_text,
)
from servicepact.imports.sources.rows import SourceError

JIRA_COLUMNS = {
    "reference": "key",
    "opened_at": "fields.created",
    "state": "fields.status.name",
    "priority": "fields.priority.name",
    "assignee": "fields.assignee.displayName",
    "requester": "fields.reporter.emailAddress",
    "title": "fields.summary",
}
JIRA_FIELDS = {
    "status": "state",
    "priority": "priority",
    "assignee": "assignee",
    "Impact": "impact",
    "Urgency": "urgency",
}
MAX_JIRA_BYTES = 2 * 1024**3


class JiraReader:
    def __init__(self, path: Path, mapping: Mapping, problems: SourceProblems):
        self.path = path
        self.mapping = mapping
        self.problems = problems
        source = mapping.doc.source
        self.columns = {**JIRA_COLUMNS, **source.columns}
        self.fields = {**JIRA_FIELDS, **source.fields}
        self.nulls = frozenset(source.null_values or ("",))
        self.times = TimeReader(mapping.zone, source.time_format)

    def tickets(self) -> Iterator[SourceTicket]:
        if self.path.stat().st_size > MAX_JIRA_BYTES:
            raise SourceError("the file is larger than 2 GiB")
        with open_text(self.path, (".json",)) as stream:
            text = stream.read()
        try:
            document = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            line = text.count("\n", 0, error.pos) + 1 if error.pos is not None else 1
            raise SourceError(f"line {line}: not JSON: {error.msg}") from None
        issues = document.get("issues") if isinstance(document, dict) else document
        if not isinstance(issues, list):
            raise SourceError(
                "line 1: expected an object with 'issues' (Jira's search with expand=changelog) or a list of issues"
            )
        for number, issue in enumerate(issues, start=1):
            self.problems.rows += 1
            where = f"issue {number}"
            if not isinstance(issue, dict):
                self.problems.bad(number, where, "an issue must be an object")
                continue
            ticket = self._ticket(issue, number)
            if ticket is not None:
                yield ticket

    def _value(self, issue: dict, path: str | None) -> str | None:
        if not path:
            return None
        node: Any = issue
        for part in path.split("."):
            if isinstance(node, list):
                node = node[0] if node else None
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        if isinstance(node, list):
            node = node[0] if node else None
        if isinstance(node, dict):
            node = node.get("value", node.get("name"))
        if node is None or isinstance(node, (dict, list)):
            return None
        text = str(node).strip()
        return None if text in self.nulls else text[:MAX_VALUE_LENGTH]

    def _time(self, text: str | None, number: int, field_name: str) -> int | None:
        if text is None:
            return None
        try:
            return self.times.read(text)
        except ValueError as problem:
            self.problems.bad(number, field_name, str(problem))
            raise

    def _ticket(self, issue: dict, number: int) -> SourceTicket | None:
        reference = self._value(issue, self.columns.get("reference"))
        if reference is None:
            self.problems.bad(number, self.columns.get("reference", "key"), "no issue key")
            return None
        try:
            opened = self._time(self._value(issue, self.columns.get("opened_at")), number, f"{reference} created")
        except ValueError:
            return None
        if opened is None:
            self.problems.bad(number, f"{reference} {self.columns.get('opened_at')}", "no creation time")
            return None
        now = {name: self._value(issue, self.columns.get(name)) for name in (*TRACKED, "requester", "title")}
        histories = (
            ((issue.get("changelog") or {}).get("histories") or []) if isinstance(issue.get("changelog"), dict) else []
        )
        changes: list[tuple[int, int, str, str | None]] = []
        first_from: dict[str, str | None] = {}
        clamped = 0
        for order, history in enumerate(histories):
            if not isinstance(history, dict):
                continue
            try:
                at = self._time(history.get("created"), number, f"{reference} changelog")
            except ValueError:
                return None
            if at is None:
                continue
            if at < opened:
                clamped += 1
                at = opened
            for item in history.get("items") or []:
                if not isinstance(item, dict):
                    continue
                name = self.fields.get(item.get("fieldId") or "") or self.fields.get(item.get("field") or "")
                if name is None:
                    continue
                before, after = self._text(item.get("fromString")), self._text(item.get("toString"))
                first_from.setdefault(name, before)
                changes.append((at, order, name, after))
        changes.sort(key=lambda change: (change[0], change[1]))
        initial = {name: first_from.get(name, value) for name, value in now.items()}
        state = initial.pop("state")
        if state is not None:
            changes.insert(0, (opened, -1, "state", state))
        ticket = SourceTicket(
            reference,
            number,
            opened,
            initial,
            [(at, number, name, value) for at, _order, name, value in changes],
            clamped=clamped,
        )
        self._sla(issue, ticket, number)
        return ticket

    def _text(self, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        return None if text in self.nulls else text[:MAX_VALUE_LENGTH]

    def _sla(self, issue: dict, ticket: SourceTicket, number: int) -> None:
        fields = issue.get("fields") if isinstance(issue.get("fields"), dict) else {}
        slas = {
            value["name"]: value
            for value in fields.values()
            if isinstance(value, dict) and isinstance(value.get("name"), str) and "completedCycles" in value
        }
        wanted = self.mapping.doc.response.sla
        if wanted and wanted in slas:
            cycles = [cycle for cycle in slas[wanted].get("completedCycles") or [] if isinstance(cycle, dict)]
            stop = (cycles[0].get("stopTime") or {}) if cycles else {}
            millis = stop.get("epochMillis") if isinstance(stop, dict) else None
            if isinstance(millis, int) and millis // 1000 >= ticket.opened_at:
                ticket.changes.append((millis // 1000, number, RESPONDED, None))
                ticket.changes.sort(key=lambda change: change[0])
        for name, clock in self.mapping.doc.sla.items():
            sla = slas.get(name)
            if sla is None:
                continue
            cycles = [cycle for cycle in sla.get("completedCycles") or [] if isinstance(cycle, dict)]
            ongoing = sla.get("ongoingCycle") if isinstance(sla.get("ongoingCycle"), dict) else None
            breached = any(cycle.get("breached") is True for cycle in cycles) or bool(
                ongoing and ongoing.get("breached")
            )
            if cycles or ongoing:
                ticket.verdicts[clock] = "breached" if breached else ("met" if not ongoing else "running")
