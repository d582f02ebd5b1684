"""What lies behind a stored report's figures, recomputed from its inputs: the tickets each number counts,
the largest contributors to breaches, and the period's major incidents.

It is computed once, when the report is stored (``keep_analysis``), and kept; pages, drill-downs and
downloads read the kept copy. The computation reads the inputs the report keeps (its event log and the versions it read), so the
ticket lists are exactly those its figures counted; ``corrected_since`` lists the corrections of its
tickets recorded after it was generated, which a restatement would count. A report stored before reports
kept their inputs is recomputed from today's history, and ``figures_match`` says whether that still gives
the stored figures.
"""

import hashlib
import json
import pickle
import zlib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from servicepact.availability.queries import changed_since, period_outages
from servicepact.desk.models import EventType, TicketEvent
from servicepact.sla.clocks import ClockState
from servicepact.sla.measures import Window
from servicepact.sla.report import report_details, tickets_at_end
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
    details: dict[str, dict[str, Any]]
    breaches: list[Breach] = field(default_factory=list)
    major_incidents: list[MajorIncident] = field(default_factory=list)
    figures_match: bool = True
    # ticket -> clock name -> the kernel's clock state at the period's end
    clocks: dict[str, dict[str, ClockState]] = field(default_factory=dict)
    # corrections of the report's tickets recorded after it was generated: a restatement would count them
    corrected_since: list["Correction"] = field(default_factory=list)
    # outages of the period recorded or changed after the report (which keeps its own outage log)
    outages_changed_since: list = field(default_factory=list)

    def contributors(self, by: str, limit: int = 5) -> list[tuple[str, int]]:
        """The ``limit`` services, teams or categories (``by``) with the most breached clocks."""
        return Counter(getattr(breach, by) for breach in self.breaches).most_common(limit)

    def tickets(self) -> set[str]:
        found = {incident.ticket for incident in self.major_incidents} | {breach.ticket for breach in self.breaches}
        for detail in self.details.values():
            found.update(detail["denominator_tickets"])
            for tickets in detail["excluded"].values():
                found.update(tickets)
        return found


# Where a report's analysis is kept (Django's default storage, beside the uploads): what never changes.
ANALYSIS_DIRECTORY = "report-analyses"
# What is kept of a ``PeriodAnalysis``; the rest depends on today (later corrections and outages).
_KEPT = ("details", "breaches", "major_incidents", "figures_match", "clocks")


def analyse(report: StoredReport) -> PeriodAnalysis:
    """The report's analysis: what never changes read from the copy kept when the report was stored (made
    now and kept when there is none, for a report stored before), with today's later corrections and
    outages. A page, drill-down or download reads it and never recomputes the period from its log."""
    kept = _read_kept(report)
    if kept is None:
        kept = keep_analysis(report)
    analysis = PeriodAnalysis(**{name: kept[name] for name in _KEPT})
    _add_changes_since(analysis, report, kept["tickets"])
    return analysis


def keep_analysis(report: StoredReport, inputs: ReportInputs | None = None) -> dict[str, Any]:
    """Compute the report's analysis from its inputs (read from what the report keeps unless given) and
    keep it; returns what was kept."""
    inputs = stored_report_inputs(report) if inputs is None else inputs
    analysis, tickets = compute_analysis(report, inputs)
    kept = {name: getattr(analysis, name) for name in _KEPT} | {"tickets": tickets}
    path = _kept_path(report)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(zlib.compress(pickle.dumps(kept, pickle.HIGHEST_PROTOCOL), 6)))
    return kept


def _kept_path(report: StoredReport) -> str:
    # the body's hash in the name: a copy never outlives the report text it was computed for
    return f"{ANALYSIS_DIRECTORY}/{report.pk}-{hashlib.sha256(report.body.encode()).hexdigest()[:16]}.pickle.z"


def _read_kept(report: StoredReport) -> dict[str, Any] | None:
    path = _kept_path(report)
    try:
        with default_storage.open(path, "rb") as kept:
            return pickle.loads(zlib.decompress(kept.read()))  # written by ``keep_analysis`` only
    except FileNotFoundError:
        return None


def compute_analysis(report: StoredReport, inputs: ReportInputs) -> tuple[PeriodAnalysis, frozenset[str]]:
    """What lies behind the report's figures, from its inputs; and the tickets of its (scoped) log."""
    terms, period, pins = inputs.terms, inputs.period, inputs.pins
    events = scoped_events(report.scope, report.scope_key, inputs.events)
    analysis = PeriodAnalysis(
        report_details(terms, events, period, pins=pins, outages=inputs.outages, scores=inputs.scores)
    )
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
    later = (
        TicketEvent.objects.filter(
            ticket__contract=report.contract, type=EventType.CORRECTED, at__gt=report.generated_at
        )
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
