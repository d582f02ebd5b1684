"""What lies behind a stored report's figures, recomputed from its inputs: the tickets each number counts,
the largest contributors to breaches, and the period's major incidents.

The recomputation uses the same inputs as the report (the period's log, the pinned version, the scope);
``figures_match`` says whether it still gives the stored figures. If the history was corrected since, it
does not, and the page says a restatement is due.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from servicepact.contracts.actions import kernel_contract
from servicepact.sla.clocks import ClockState
from servicepact.sla.measures import Window
from servicepact.sla.report import report_details, tickets_at_end
from servicepact.slm.models import StoredReport
from servicepact.slm.reporting.periods import period_for
from servicepact.slm.reporting.scopes import scoped_events, team_at_stop
from servicepact.slm.reporting.sources import report_inputs

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
class PeriodAnalysis:
    details: dict[str, dict[str, Any]]
    breaches: list[Breach] = field(default_factory=list)
    major_incidents: list[MajorIncident] = field(default_factory=list)
    figures_match: bool = True
    # ticket -> clock name -> the kernel's clock state at the period's end
    clocks: dict[str, dict[str, ClockState]] = field(default_factory=dict)

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


def analyse(report: StoredReport) -> PeriodAnalysis:
    terms = kernel_contract(report.contract_version)
    period = period_for(report.kind, report.period_label, terms.reporting_timezone)
    inputs = report_inputs(report.contract, period, version=report.contract_version)
    events = scoped_events(report.scope, report.scope_key, inputs.events)
    analysis = PeriodAnalysis(report_details(terms, events, period))
    stored = {measure["id"]: measure for measure in json.loads(report.body)["measures"]}
    analysis.figures_match = all(
        (stored.get(key, {}).get("numerator"), stored.get(key, {}).get("denominator"))
        == (detail["numerator"], detail["denominator"])
        for key, detail in analysis.details.items()
    )
    window = Window(period.start, period.end)
    top_priority = terms.priorities[0]
    for ticket in tickets_at_end(terms, events, period):
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
            analysis.major_incidents.append(MajorIncident(
                facts.ticket, facts.service, facts.priority, facts.created_at, resolution.stopped_at,
                resolution.state, resolution.elapsed_s, resolution.target_s,
            ))
    analysis.major_incidents.sort(key=lambda incident: incident.created_at)
    return analysis
