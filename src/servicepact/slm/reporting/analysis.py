"""What lies behind a stored report's figures, recomputed from its inputs: the tickets each number counts,
the largest contributors to breaches, and the period's major incidents.

It is computed once, when the report is stored (``keep_analysis``), and kept in parts; pages, drill-downs
and downloads read the parts they show. The computation reads the inputs the report keeps (its event log and the versions it read), so the
ticket lists are exactly those its figures counted; ``corrected_since`` lists the corrections of its
tickets recorded after it was generated, which a restatement would count. A report stored before reports
kept their inputs is recomputed from today's history, and ``figures_match`` says whether that still gives
the stored figures.
"""

import hashlib
import json
import pickle
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, field
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from servicepact.availability.queries import changed_since, period_outages
from servicepact.desk.models import EventType, TicketEvent
from servicepact.sla.clocks import ClockState
from servicepact.sla.measures import Window
from servicepact.sla.report import PeriodEvaluation, report_details, tickets_at_end
from servicepact.slm.models import StoredReport
from servicepact.slm.reporting.scopes import scoped_events, team_at_stop
from servicepact.slm.reporting.sources import ReportInputs, stored_report_inputs

NO_CATEGORY = _("(no category)")
CONTRACT_CLOCKS = ("response", "resolution")


@dataclass
class MajorIncident:
    ticket: str
    service: str
    priority: str
    created_at: int
    resolved_at: int | None
    resolution_state: str
    resolution_elapsed_s: int
    resolution_target_s: int


@dataclass
class Breach:
    ticket: str
    clock: str
    service: str
    team: str
    category: str
    open: bool


@dataclass
class Correction:
    ticket: str
    at: datetime
    actor: str
    reason: str
    changes: dict[str, dict[str, str]]  # field -> {"old": ..., "new": ...}


@dataclass
class PeriodAnalysis:
    # measure id -> the tickets behind its figures (``report_details``); a kept analysis reads each
    # measure's entry when it is first asked for
    details: Mapping[str, dict[str, Any]]
    breaches: list[Breach] = field(default_factory=list)
    major_incidents: list[MajorIncident] = field(default_factory=list)
    figures_match: bool = True
    # ticket -> clock name -> the kernel's clock state at the period's end (a kept analysis: the
    # contract's clocks, read a part of the tickets at a time)
    clocks: Mapping[str, dict[str, ClockState]] = field(default_factory=dict)
    # corrections of the report's tickets recorded after it was generated: a restatement would count them
    corrected_since: list["Correction"] = field(default_factory=list)
    # outages of the period recorded or changed after the report (which keeps its own outage log)
    outages_changed_since: list = field(default_factory=list)
    # per service, team and category, the breached clocks of each: what a kept analysis keeps of its breaches
    breach_counts: dict[str, Counter] | None = None
    # per measure, how many of its counted tickets are hits (kept, so that a drill-down need not count them)
    hits: dict[str, int] | None = None

    def contributors(self, by: str, limit: int = 5) -> list[tuple[str, int]]:
        """The ``limit`` services, teams or categories (``by``) with the most breached clocks."""
        if self.breach_counts is not None:
            return self.breach_counts[by].most_common(limit)
        return _breach_counts(self.breaches, by).most_common(limit)

    def detail_tickets(self) -> set[str]:
        """Every ticket the measures' details list (counted or excluded)."""
        found: set[str] = set()
        for detail in self.details.values():
            found.update(detail["denominator_tickets"])
            for tickets in detail["excluded"].values():
                found.update(tickets)
        return found


CONTRIBUTORS = ("service", "team", "category")


def _breach_counts(breaches: list[Breach], by: str) -> Counter:
    return Counter(getattr(breach, by) for breach in breaches)


# Where a report's analysis is kept (Django's default storage, beside the uploads): what never changes, in
# parts, so that a page reads only what it shows: an index (the small things and what the parts hold), one
# part per measure's details, the clocks a slice of the tickets (in order of their numbers) per part, and
# the tickets of the report's log. The index is written last: a report whose index is there has every part.
ANALYSIS_DIRECTORY = "report-analyses"
CLOCKS_PER_PART = 1000
# The layout of the parts; a copy kept in another layout is computed again and kept anew.
KEPT_FORMAT = 2


def analyse(report: StoredReport) -> PeriodAnalysis:
    """The report's analysis: what never changes read from the copy kept when the report was stored (made
    now and kept when there is none, for a report stored before), with today's later corrections and
    outages. A page, drill-down or download reads it and never recomputes the period from its log; of the
    kept copy it reads the parts it asks for."""
    kept = _KeptAnalysis.open(report)
    if kept is None:
        analysis, tickets = keep_analysis(report)
    else:
        analysis, tickets = kept.analysis(), kept.tickets()
    _add_changes_since(analysis, report, tickets)
    return analysis


def keep_analysis(
    report: StoredReport, inputs: ReportInputs | None = None, details: dict[str, dict[str, Any]] | None = None
) -> tuple[PeriodAnalysis, Collection[str]]:
    """Compute the report's analysis from its inputs (read from what the report keeps unless given; with
    the measures' ``details`` when they were found with the report) and keep it; returns it and the tickets
    of the report's log."""
    inputs = stored_report_inputs(report) if inputs is None else inputs
    analysis, tickets = compute_analysis(report, inputs, details)
    _KeptAnalysis.write(report, analysis, tickets)
    return analysis, tickets


def _kept_path(report: StoredReport, part: str = "index") -> str:
    # the body's hash in the name: a copy never outlives the report text it was computed for
    digest = hashlib.sha256(report.body.encode()).hexdigest()[:16]
    return f"{ANALYSIS_DIRECTORY}/{report.pk}-{digest}/{part}.pickle.z"


def _dump(path: str, value: Any) -> None:
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)))


def _load(path: str) -> Any:
    with default_storage.open(path, "rb") as kept:
        return pickle.loads(zlib.decompress(kept.read()))  # written by ``_dump`` only


class _KeptAnalysis:
    """A report's kept analysis, each part read when first asked for."""

    def __init__(self, report: StoredReport, index: dict[str, Any]):
        self.report = report
        self.index = index

    @classmethod
    def open(cls, report: StoredReport) -> "_KeptAnalysis | None":
        try:
            index = _load(_kept_path(report))
        except FileNotFoundError:
            return None
        return cls(report, index) if index.get("format") == KEPT_FORMAT else None

    @classmethod
    def write(cls, report: StoredReport, analysis: PeriodAnalysis, tickets: Collection[str]) -> None:
        index_path = _kept_path(report)
        if default_storage.exists(index_path):
            default_storage.delete(index_path)  # the old parts are not whole while they are replaced
        measures = list(analysis.details)
        for position, measure_id in enumerate(measures):
            _dump(_kept_path(report, f"measure-{position}"), _packed_detail(analysis.details[measure_id]))
        numbers = sorted(analysis.clocks)
        firsts = []
        for position, start in enumerate(range(0, len(numbers), CLOCKS_PER_PART)):
            chunk = numbers[start : start + CLOCKS_PER_PART]
            firsts.append(chunk[0])
            part = {
                number: [_clock_fields(clock) for name, clock in clocks.items() if name in CONTRACT_CLOCKS]
                for number in chunk
                for clocks in (analysis.clocks[number],)
            }
            _dump(_kept_path(report, f"clocks-{position}"), part)
        _dump(_kept_path(report, "tickets"), frozenset(tickets))
        _dump(_kept_path(report, "major-incidents"), [astuple(incident) for incident in analysis.major_incidents])
        index = {
            "format": KEPT_FORMAT,
            "measures": measures,
            "clock_parts": firsts,
            "clocked": len(numbers),
            "figures_match": analysis.figures_match,
            "major_incidents": len(analysis.major_incidents),
            "breach_counts": {by: _breach_counts(analysis.breaches, by) for by in CONTRIBUTORS},
            "hits": {measure_id: _hits(detail) for measure_id, detail in analysis.details.items()},
        }
        _dump(index_path, index)
        legacy = f"{ANALYSIS_DIRECTORY}/{index_path.split('/')[1]}.pickle.z"  # one file, as kept before parts
        if default_storage.exists(legacy):
            default_storage.delete(legacy)

    def analysis(self) -> PeriodAnalysis:
        index = self.index
        return PeriodAnalysis(
            details=_KeptDetails(self, index["measures"]),
            major_incidents=_KeptIncidents(self, index["major_incidents"]),
            figures_match=index["figures_match"],
            clocks=_KeptClocks(self, index["clock_parts"], index["clocked"]),
            breach_counts=index["breach_counts"],
            hits=index["hits"],
        )

    def tickets(self) -> Collection[str]:
        return _KeptTickets(self)

    def part(self, name: str) -> Any:
        return _load(_kept_path(self.report, name))


def _hits(detail: dict[str, Any]) -> int:
    return len(set(detail["numerator_tickets"]).intersection(detail["denominator_tickets"]))


# The lists of tickets of a measure's details, kept as one text each (a number a line): read back many
# times faster than a list of as many strings.
TICKET_LISTS = ("numerator_tickets", "denominator_tickets")


def _packed_detail(detail: dict[str, Any]) -> dict[str, Any]:
    return {
        **detail,
        **{name: "\n".join(detail[name]) for name in TICKET_LISTS if name in detail},
        "excluded": {rule: "\n".join(tickets) for rule, tickets in detail["excluded"].items()},
    }


def _unpacked_detail(packed: dict[str, Any]) -> dict[str, Any]:
    return {
        **packed,
        **{name: _numbers(packed[name]) for name in TICKET_LISTS if name in packed},
        "excluded": {rule: _numbers(text) for rule, text in packed["excluded"].items()},
    }


def _numbers(text: str) -> list[str]:
    return text.split("\n") if text else []


# What is kept of a clock at the period's end: every field but the warnings still due, which no page shows
# (their fractions made reading a part back several times slower).
CLOCK_FIELDS = tuple(name for name in ClockState.__dataclass_fields__ if name != "warnings_due")


def _clock_fields(clock: ClockState) -> tuple:
    return tuple(getattr(clock, name) for name in CLOCK_FIELDS)


class _KeptIncidents(Sequence):
    """The major incidents, oldest first: counted from the index, read when one of them is first asked for."""

    def __init__(self, kept: _KeptAnalysis, count: int):
        self.kept, self.count, self.read = kept, count, None

    def __getitem__(self, index):
        if self.read is None:
            self.read = self.kept.part("major-incidents")
        if isinstance(index, slice):
            return [MajorIncident(*row) for row in self.read[index]]
        return MajorIncident(*self.read[index])

    def __len__(self) -> int:
        return self.count


class _KeptDetails(Mapping):
    """Measure id -> its details, each read from its part when first asked for."""

    def __init__(self, kept: _KeptAnalysis, measures: list[str]):
        self.kept, self.measures, self.read = kept, measures, {}

    def __getitem__(self, measure_id: str) -> dict[str, Any]:
        if measure_id not in self.read:
            if measure_id not in self.measures:
                raise KeyError(measure_id)
            self.read[measure_id] = _unpacked_detail(self.kept.part(f"measure-{self.measures.index(measure_id)}"))
        return self.read[measure_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.measures)

    def __len__(self) -> int:
        return len(self.measures)

    def __contains__(self, measure_id: object) -> bool:
        return measure_id in self.measures


class _KeptClocks(Mapping):
    """Ticket -> its contract clocks at the period's end; a part (a slice of the tickets in order of their
    numbers) is read when one of its tickets is first asked for."""

    def __init__(self, kept: _KeptAnalysis, firsts: list[str], count: int):
        self.kept, self.firsts, self.count, self.read = kept, firsts, count, {}

    def _part(self, number: str) -> dict[str, list[tuple]]:
        position = bisect_right(self.firsts, number) - 1
        if position < 0:
            return {}
        if position not in self.read:
            self.read[position] = self.kept.part(f"clocks-{position}")
        return self.read[position]

    def __getitem__(self, number: str) -> dict[str, ClockState]:
        return {fields[1]: ClockState(*fields) for fields in self._part(number)[number]}

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and number in self._part(number)

    def __iter__(self) -> Iterator[str]:
        for position in range(len(self.firsts)):
            yield from self._part(self.firsts[position])

    def __len__(self) -> int:
        return self.count


class _KeptTickets(Collection):
    """The tickets of the report's log, read when first asked about."""

    def __init__(self, kept: _KeptAnalysis):
        self.kept, self.read = kept, None

    def _tickets(self) -> frozenset[str]:
        if self.read is None:
            self.read = self.kept.part("tickets")
        return self.read

    def __contains__(self, number: object) -> bool:
        return number in self._tickets()

    def __iter__(self) -> Iterator[str]:
        return iter(self._tickets())

    def __len__(self) -> int:
        return len(self._tickets())


def evaluation_details(evaluation: PeriodEvaluation) -> dict[str, dict[str, Any]]:
    """The kernel's ``report_details`` of an evaluation made with ``keep_tickets``: per measure, the
    tickets behind its figures."""
    return {
        outcome.id: {
            **outcome.spec_dict(),
            "numerator_tickets": outcome.numerator_tickets,
            "denominator_tickets": outcome.denominator_tickets,
            "excluded": outcome.excluded,
            **({"availability": outcome.availability} if outcome.availability is not None else {}),
        }
        for outcome in [*evaluation.outcomes, *evaluation.extra]
    }


def compute_analysis(
    report: StoredReport, inputs: ReportInputs, details: dict[str, dict[str, Any]] | None = None
) -> tuple[PeriodAnalysis, frozenset[str]]:
    """What lies behind the report's figures, from its inputs; and the tickets of its (scoped) log.
    ``details``, when given, are the measures' tickets found with the report from the same inputs."""
    terms, period, pins = inputs.terms, inputs.period, inputs.pins
    events = scoped_events(report.scope, report.scope_key, inputs.events)
    if details is None:
        details = report_details(terms, events, period, pins=pins, outages=inputs.outages, scores=inputs.scores)
    analysis = PeriodAnalysis(details)
    stored = {measure["id"]: measure for measure in json.loads(report.body)["measures"]}
    analysis.figures_match = all(
        (stored.get(key, {}).get("numerator"), stored.get(key, {}).get("denominator"))
        == (detail["numerator"], detail["denominator"])
        for key, detail in analysis.details.items()
    )
    window = Window(period.start, period.end)
    top_priority = terms.priorities[0]
    for ticket in tickets_at_end(terms, events, period, pins):
        facts = ticket.facts
        analysis.clocks[facts.ticket] = ticket.clocks
        team = team_at_stop(ticket.events) or ""
        for name in CONTRACT_CLOCKS:
            clock = ticket.clocks.get(name)
            if clock is None or clock.state != "breached":
                continue
            is_open = clock.stopped_at is None
            if is_open or window.holds(clock.stopped_at):
                analysis.breaches.append(
                    Breach(facts.ticket, name, facts.service, team, facts.category or str(NO_CATEGORY), is_open)
                )
        resolution = ticket.clocks.get("resolution")
        if facts.priority == top_priority and resolution is not None:
            analysis.major_incidents.append(
                MajorIncident(
                    facts.ticket,
                    facts.service,
                    facts.priority,
                    facts.created_at,
                    resolution.stopped_at,
                    resolution.state,
                    resolution.elapsed_s,
                    resolution.target_s,
                )
            )
    analysis.major_incidents.sort(key=lambda incident: incident.created_at)
    return analysis, frozenset(events)


def _add_changes_since(analysis: PeriodAnalysis, report: StoredReport, tickets: Collection[str]) -> None:
    analysis.corrected_since = corrections_since(report, tickets)
    if report.outage_log_id is not None:
        outages = period_outages(report.contract, report.period_start, report.period_end)
        analysis.outages_changed_since = list(
            changed_since(outages, report.generated_at).select_related("service").order_by("start", "pk")
        )


def corrections_since(report: StoredReport, events: Collection[str]) -> list[Correction]:
    """Corrections of the tickets in the report's log recorded after the report was generated, oldest first."""
    # Found by the index on the instant (the events since the report); the contract is compared as an
    # expression, which no index serves, so that SQLite does not read every event of the contract instead.
    later = (
        TicketEvent.objects.alias(of_contract=F("ticket__contract_id") + 0)
        .filter(at__gt=report.generated_at, type=EventType.CORRECTED, of_contract=report.contract_id)
        .select_related("ticket", "actor")
        .order_by("at", "pk")
    )
    return [
        Correction(
            event.ticket.number,
            event.at,
            event.actor.get_full_name() if event.actor else "",
            event.data.get("reason", ""),
            {key: value for key, value in event.data.items() if isinstance(value, dict)},
        )
        for event in later
        if event.ticket.number in events
    ]
