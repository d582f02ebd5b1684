"""What an import found and did: counts, unmapped values, bad rows, problems of whole tickets, and what was
approximated. A dry run gives the report alone; a real run stores it with the run.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from servicepact.imports.sources.records import MAX_REPORTED_ROWS, BadRow

# What the conversion may have to approximate, and how the report says it (%(count)d is the number).
APPROXIMATIONS = {
    "first_row_values": ngettext_lazy(
        "%(count)d ticket's first recorded update came after it was opened: its values then are taken as those at opening.",
        "%(count)d tickets' first recorded update came after they were opened: their values then are taken as those at opening.",
        "count",
    ),
    "clamped": ngettext_lazy(
        "%(count)d change was dated before its ticket was opened; it is taken at the opening.",
        "%(count)d changes were dated before their ticket was opened; they are taken at the opening.",
        "count",
    ),
    "after_close": ngettext_lazy(
        "%(count)d change was made after the source closed the ticket: kept as an amendment; the clocks end at the first close.",
        "%(count)d changes were made after the source closed the ticket: kept as amendments; the clocks end at the first close.",
        "count",
    ),
    "closed_unresolved": ngettext_lazy(
        "%(count)d ticket was closed without being resolved first.",
        "%(count)d tickets were closed without being resolved first.",
        "count",
    ),
    "ignored_states": ngettext_lazy(
        "%(count)d change of state to a value the mapping ignores left the status as it was.",
        "%(count)d changes of state to values the mapping ignores left the status as it was.",
        "count",
    ),
    "corrections": ngettext_lazy(
        "%(count)d change of service or category is a correction: the clocks and measures take the last one for the ticket's whole life.",
        "%(count)d changes of service or category are corrections: the clocks and measures take the last one for the ticket's whole life.",
        "count",
    ),
    "responses_inferred": ngettext_lazy(
        "%(count)d ticket's first response is inferred from the mapping's response rule (the source records no replies).",
        "%(count)d tickets' first responses are inferred from the mapping's response rule (the source records no replies).",
        "count",
    ),
    "no_response": ngettext_lazy(
        "%(count)d ticket has no recorded first response: its response clock stops at its resolution.",
        "%(count)d tickets have no recorded first response: their response clocks stop at their resolution.",
        "count",
    ),
    "assignees_left_out": ngettext_lazy(
        "%(count)d change of assignee was left out: the mapping names no person for it.",
        "%(count)d changes of assignee were left out: the mapping names no person for them.",
        "count",
    ),
    "requester_changes": ngettext_lazy(
        "%(count)d change of requester was left out: a ticket keeps the requester it was opened for.",
        "%(count)d changes of requester were left out: a ticket keeps the requester it was opened for.",
        "count",
    ),
    "per_ticket_history": ngettext_lazy(
        "%(count)d ticket comes from one row: the statuses between its opening and its resolution are unknown.",
        "%(count)d tickets come from one row each: the statuses between opening and resolution are unknown.",
        "count",
    ),
    "per_ticket_open_state": ngettext_lazy(
        "%(count)d open ticket comes from one row: its present state is taken from its opening.",
        "%(count)d open tickets come from one row each: their present state is taken from their opening.",
        "count",
    ),
}
MAX_TICKET_PROBLEMS = 200


@dataclass
class ImportReport:
    contract: str
    tool: str
    layout: str
    system: str
    file_name: str
    file_sha256: str
    mapping_name: str
    mapping_sha256: str
    rows: int = 0
    tickets: int = 0  # source tickets read
    new: int = 0  # tickets to import (a dry run) or imported
    skipped: int = 0  # already imported by an earlier run
    events: int = 0
    open: int = 0
    closed: int = 0
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)  # vocabulary -> value -> tickets
    unmapped_why: dict[str, dict[str, str]] = field(default_factory=dict)  # vocabulary -> value -> why
    bad_rows: list[BadRow] = field(default_factory=list)
    bad_row_count: int = 0
    ticket_problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reference, message)
    ticket_problem_count: int = 0
    approximations: dict[str, int] = field(default_factory=dict)
    creates_teams: list[str] = field(default_factory=list)
    creates_requesters: int = 0
    error: str = ""  # the file could not be read at all

    @property
    def ok(self) -> bool:
        return not (self.unmapped or self.bad_row_count or self.ticket_problem_count or self.error)

    def unmapped_rows(self) -> list[dict[str, Any]]:
        """Every unmapped value, vocabulary by vocabulary, the most frequent first."""
        rows = []
        for vocabulary in sorted(self.unmapped):
            values = self.unmapped[vocabulary]
            for value, count in sorted(values.items(), key=lambda item: (-item[1], item[0])):
                rows.append(
                    {
                        "vocabulary": vocabulary,
                        "value": value,
                        "tickets": count,
                        "why": self.unmapped_why.get(vocabulary, {}).get(value, ""),
                    }
                )
        return rows

    def approximation_lines(self) -> list[str]:
        return [
            str(APPROXIMATIONS[key] % {"count": count})
            for key, count in sorted(self.approximations.items())
            if count and key in APPROXIMATIONS
        ]

    def add_ticket_problem(self, line: int, reference: str, message: str) -> None:
        self.ticket_problem_count += 1
        if len(self.ticket_problems) < MAX_TICKET_PROBLEMS:
            self.ticket_problems.append((line, reference, message))

    def as_json(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "tool": self.tool,
            "layout": self.layout,
            "system": self.system,
            "file": {"name": self.file_name, "sha256": self.file_sha256},
            "mapping": {"name": self.mapping_name, "sha256": self.mapping_sha256},
            "rows": self.rows,
            "tickets": self.tickets,
            "new": self.new,
            "skipped": self.skipped,
            "events": self.events,
            "open": self.open,
            "closed": self.closed,
            "unmapped": self.unmapped_rows(),
            "bad_rows": [{"line": row.line, "field": row.field, "message": row.message} for row in self.bad_rows],
            "bad_row_count": self.bad_row_count,
            "ticket_problems": [
                {"line": line, "ticket": reference, "message": message}
                for line, reference, message in self.ticket_problems
            ],
            "ticket_problem_count": self.ticket_problem_count,
            "approximations": dict(sorted(self.approximations.items())),
            "creates": {"teams": self.creates_teams, "requesters": self.creates_requesters},
            "error": self.error,
            "ok": self.ok,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ImportReport":
        report = cls(
            contract=data["contract"],
            tool=data["tool"],
            layout=data["layout"],
            system=data["system"],
            file_name=data["file"]["name"],
            file_sha256=data["file"]["sha256"],
            mapping_name=data["mapping"]["name"],
            mapping_sha256=data["mapping"]["sha256"],
        )
        for name in (
            "rows",
            "tickets",
            "new",
            "skipped",
            "events",
            "open",
            "closed",
            "bad_row_count",
            "ticket_problem_count",
            "error",
        ):
            setattr(report, name, data.get(name, getattr(report, name)))
        for row in data.get("unmapped", []):
            report.unmapped.setdefault(row["vocabulary"], {})[row["value"]] = row["tickets"]
            if row.get("why"):
                report.unmapped_why.setdefault(row["vocabulary"], {})[row["value"]] = row["why"]
        report.bad_rows = [BadRow(row["line"], row["field"], row["message"]) for row in data.get("bad_rows", [])]
        report.ticket_problems = [
            (row["line"], row["ticket"], row["message"]) for row in data.get("ticket_problems", [])
        ]
        report.approximations = dict(data.get("approximations", {}))
        report.creates_teams = list(data.get("creates", {}).get("teams", []))
        report.creates_requesters = data.get("creates", {}).get("requesters", 0)
        return report

    def summary(self) -> str:
        """One line for the command line and messages."""
        return str(
            _(
                "%(tickets)d tickets in %(rows)d rows: %(new)d to import (%(closed)d closed, %(open)d open), "
                "%(skipped)d already imported, %(events)d events"
            )
            % {
                "tickets": self.tickets,
                "rows": self.rows,
                "new": self.new,
                "closed": self.closed,
                "open": self.open,
                "skipped": self.skipped,
                "events": self.events,
            }
        )


__all__ = ["APPROXIMATIONS", "MAX_REPORTED_ROWS", "ImportReport"]
