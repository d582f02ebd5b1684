"""The report of one period (SLA-SPEC section 5): every measure of the contract, the open tickets, the
month's credits and the digest of the inputs.

Every ticket is evaluated at the period's END from its events strictly before END (an event at END
belongs to the next period). A clock belongs to the period that holds its ``stopped_at``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import Any

from servicepact.sla.availability import AVAILABILITY, AVAILABILITY_PLACES, availability
from servicepact.sla.clocks import evaluate_ticket, explain_clock
from servicepact.sla.contract import Contract, MeasureDef
from servicepact.sla.credits import compute_credits
from servicepact.sla.digest import ContractFiles, DigestInBackground, digest_lines, outages_digest
from servicepact.sla.events import Event, canonical_event_lines
from servicepact.sla.measure_names import KNOWN_MEASURES
from servicepact.sla.measures import (
    MEASURE_TYPES,
    Measure,
    MeasureOutcome,
    Tally,
    TicketAtEnd,
    Window,
    decimal_text,
    excluded_by,
    is_met,
    resolution_is_open,
)
from servicepact.sla.outages import Outage
from servicepact.sla.periods import Period
from servicepact.sla.scores import scores_digest
from servicepact.sla.timefmt import format_instant

STOPPED_STATUSES = frozenset({"resolved", "closed"})


class ReportError(ValueError):
    """A report that cannot be built as asked (an unknown review measure, say); the message names it."""


@dataclass
class PeriodEvaluation:
    """What one pass over the tickets found for a period."""

    period: Period
    outcomes: list[MeasureOutcome]
    extra: list[MeasureOutcome]
    open: int = 0
    open_breached: int = 0
    # ticket -> clock -> state ("met" | "breached") of the clocks stopped in the period; backtests compare them
    stopped_clocks: dict[str, dict[str, str]] = field(default_factory=dict)
    # the corrections of the tickets the period holds, in ticket order, then as in the log
    corrections: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _MeasureRun:
    definition: MeasureDef | None  # None for a review measure the contract does not name
    name: str
    accumulator: Measure
    excluded: dict[str, list[str]] = field(default_factory=dict)


def tickets_at_end(
    contract: Contract,
    events_by_ticket: Mapping[str, Sequence[Event]],
    period: Period,
    pins: Mapping[str, Contract] | None = None,
) -> Iterator[TicketAtEnd]:
    """Every ticket that matters to ``period``, evaluated at its END from the events before END, under
    the version it is pinned to (``pins``; ``contract`` for every ticket without).

    A ticket created at or after END does not exist yet. A ticket whose last event before END lies before
    the period's start and left it resolved or closed is skipped: every clock of it stopped before the
    period (clocks stop only at events) and it is not open, so no figure of the period can hold it.
    Corrections count wherever they stand, after END too (clock_trace.ticket_steps).
    """
    end = period.end
    for ticket, events in events_by_ticket.items():
        if not matters_to(events, period):
            continue
        before = _events_before(events, end)
        terms = contract if pins is None else pins.get(ticket, contract)
        evaluated = before if len(before) == len(events) else _with_later_corrections(before, events)
        facts, clocks = evaluate_ticket(terms, evaluated, end)
        yield TicketAtEnd(
            facts=facts,
            clocks={clock.clock: clock for clock in clocks},
            events=before,
            contract=terms,
            end=end,
            explain=partial(explain_clock, terms, evaluated, end),
        )


def matters_to(events: Sequence[Event], period: Period) -> bool:
    """Whether a ticket's sorted events give it a place in ``period``'s report (``tickets_at_end``): it is
    created before END and was not left resolved or closed by its last event before the period's start.
    A log narrowed to these tickets gives the same report figures as the whole log."""
    before = _events_before(events, period.end)
    return bool(before) and not _settled_before(before, period.start)


def evaluate_period(
    contract: Contract,
    events_by_ticket: Mapping[str, Sequence[Event]],
    period: Period,
    *,
    extra_measures: Sequence[str] = (),
    scores: Mapping[str, Fraction] | None = None,
    keep_tickets: bool = False,
    keep_clocks: bool = False,
    pins: Mapping[str, Contract] | None = None,
    outages: Sequence[Outage] | None = None,
) -> PeriodEvaluation:
    """One pass over the tickets feeding every measure of ``contract`` (the version in force on the
    period's last day) and the asked review measures; each ticket's clocks follow its version in
    ``pins`` (section 5, "Several versions").

    Availability measures (section 6) are computed from ``outages``; without an outage log they are left
    out (a backtest compares the ticket measures only; ``build_report`` refuses to go without it)."""
    window = Window(period.start, period.end)
    runs = [
        _MeasureRun(definition, definition.measure, _accumulator(definition.measure, window, keep_tickets, scores))
        for definition in contract.measures
        if definition.measure != AVAILABILITY
    ]
    for name in extra_measures:
        if name not in KNOWN_MEASURES:
            raise ReportError(f"unknown measure {name!r}; known: {', '.join(sorted(KNOWN_MEASURES))}")
        runs.append(_MeasureRun(None, name, _accumulator(name, window, keep_tickets, scores)))

    evaluation = PeriodEvaluation(period, [], [])
    for ticket in tickets_at_end(contract, events_by_ticket, period, pins):
        evaluation.corrections.extend(_corrections(ticket.ticket, events_by_ticket[ticket.ticket]))
        resolution = ticket.clocks.get("resolution")
        if resolution_is_open(ticket):
            evaluation.open += 1
            evaluation.open_breached += resolution.state == "breached"
        if keep_clocks:
            stopped = {name: clock.state for name, clock in ticket.clocks.items() if window.holds(clock.stopped_at)}
            if stopped:
                evaluation.stopped_clocks[ticket.ticket] = stopped
        for run in runs:
            if not run.accumulator.counts(ticket):
                continue
            rules = excluded_by(run.definition, ticket) if run.definition is not None else []
            for rule in rules:
                run.excluded.setdefault(rule, []).append(ticket.ticket)
            if not rules:
                run.accumulator.feed(ticket)

    by_id = {}
    for run in runs:
        outcome = _outcome(run)
        if run.definition is None:
            evaluation.extra.append(outcome)
        else:
            by_id[outcome.id] = outcome
    for definition in contract.measures:
        if definition.measure != AVAILABILITY:
            evaluation.outcomes.append(by_id[definition.id])
        elif outages is not None:
            evaluation.outcomes.append(_availability_outcome(contract, definition, outages, period))
    return evaluation


def has_availability(contract: Contract) -> bool:
    return any(definition.measure == AVAILABILITY for definition in contract.measures)


def _availability_outcome(
    contract: Contract, definition: MeasureDef, outages: Sequence[Outage], period: Period
) -> MeasureOutcome:
    found = availability(contract, definition, outages, period.start, period.end)
    return MeasureOutcome(
        id=definition.id,
        measure=definition.measure,
        tally=Tally(found.value, found.numerator, found.agreed_s),
        target=f"{definition.target.op} {decimal_text(definition.target.value)}",
        met=is_met(found.value, definition.target.op, definition.target.value),
        baseline=definition.baseline,
        places=AVAILABILITY_PLACES,
        availability={**found.figures(), "outages": found.outages},
    )


def build_report(
    contract: Contract,
    contract_bytes: ContractFiles,
    events_by_ticket: Mapping[str, Sequence[Event]],
    period: Period,
    *,
    extra_measures: Sequence[str] = (),
    scores: Mapping[str, Fraction] | None = None,
    digest_in_background: bool = False,
    pins: Mapping[str, Contract] | None = None,
    outages: Sequence[Outage] | None = None,
) -> dict[str, Any]:
    """The spec's report object (section 5), plus ``excluded``, ``by_team``, ``extra_measures`` and
    ``corrections``.

    ``contract`` is the version in force on the period's last day; ``pins`` the version of each ticket
    when several are given, and ``contract_bytes`` then every version's (version, bytes) for the digest.
    ``digest_in_background`` hashes the log in a forked process meanwhile (for one-shot commands; see
    ``digest.DigestInBackground``). ``outages`` is the outage log (section 6), required when the contract
    has an availability measure; the digest then also carries its ``outages_sha256``. With ``scores`` (the
    satisfaction survey's, per ticket) it carries their ``scores_sha256`` (``scores.scores_digest``)."""
    if outages is None and has_availability(contract):
        raise ReportError(
            f"version {contract.version} of contract {contract.id!r} has availability measures; "
            "give the outage log (--outages)"
        )
    inputs_digest = DigestInBackground(contract_bytes, events_by_ticket) if digest_in_background else None
    evaluation = evaluate_period(
        contract, events_by_ticket, period, extra_measures=extra_measures, scores=scores, pins=pins, outages=outages
    )
    report = report_object(contract, evaluation)
    if inputs_digest is not None:
        report["digest"] = inputs_digest.result()
    else:
        report["digest"] = digest_lines(contract_bytes, canonical_event_lines(events_by_ticket))
    if outages is not None:
        report["digest"]["outages_sha256"] = outages_digest(outages)
    if scores is not None:
        report["digest"]["scores_sha256"] = scores_digest(scores)
    return report


def report_object(contract: Contract, evaluation: PeriodEvaluation) -> dict[str, Any]:
    """The report of an evaluated period, without the digest (which needs the inputs' bytes)."""
    period = evaluation.period
    report: dict[str, Any] = {
        "contract": contract.id,
        "version": contract.version,
        "period": period.label,
        "from": format_instant(period.start),
        "to": format_instant(period.end),
        "measures": [outcome.spec_dict() for outcome in evaluation.outcomes],
        "open": evaluation.open,
        "open_breached": evaluation.open_breached,
    }
    if period.is_month:
        values = {outcome.id: outcome.tally.value for outcome in evaluation.outcomes}
        places = {outcome.id: outcome.places for outcome in evaluation.outcomes}
        report["credits"] = compute_credits(contract.credits, values, places) if contract.credits is not None else None
    report["digest"] = None
    report["excluded"] = [
        {"measure": outcome.id, "rule": rule, "tickets": tickets}
        for outcome in evaluation.outcomes
        for rule, tickets in outcome.excluded.items()
    ]
    by_team = {
        outcome.id: outcome.tally.by_team
        for outcome in [*evaluation.outcomes, *evaluation.extra]
        if outcome.tally.by_team  # a measure with nothing to count has no team to show
    }
    if by_team:
        report["by_team"] = by_team
    if evaluation.extra:
        report["extra_measures"] = [outcome.spec_dict() for outcome in evaluation.extra]
    if evaluation.corrections:
        report["corrections"] = evaluation.corrections
    availability_figures = {
        outcome.id: {key: value for key, value in outcome.availability.items() if key != "outages"}
        for outcome in evaluation.outcomes
        if outcome.availability is not None
    }
    if availability_figures:
        report["availability"] = availability_figures
    return report


def report_details(
    contract: Contract,
    events_by_ticket: Mapping[str, Sequence[Event]],
    period: Period,
    *,
    extra_measures: Sequence[str] = (),
    scores: Mapping[str, Fraction] | None = None,
    pins: Mapping[str, Contract] | None = None,
    outages: Sequence[Outage] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per measure id (or review measure name): the tickets behind its figures, for drill-down pages.

    Each entry: ``numerator`` and ``denominator`` (sorted ticket ids; the numerator is the tickets that
    counted as a hit, e.g. met or first-contact), ``excluded`` (rule -> tickets) and the measure's figures;
    an availability measure's also ``availability``: its seconds and the outages it counted.
    """
    evaluation = evaluate_period(
        contract,
        events_by_ticket,
        period,
        extra_measures=extra_measures,
        scores=scores,
        keep_tickets=True,
        pins=pins,
        outages=outages,
    )
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


def _accumulator(name: str, window: Window, keep_tickets: bool, scores: Mapping[str, Fraction] | None) -> Measure:
    kind = MEASURE_TYPES.get(name)
    if kind is None:
        raise ReportError(f"measure {name!r} has no implementation; known: {', '.join(sorted(MEASURE_TYPES))}")
    return kind(window, keep_tickets=keep_tickets, scores=scores)


def _outcome(run: _MeasureRun) -> MeasureOutcome:
    tally = run.accumulator.tally()
    definition = run.definition
    target = baseline = None
    met = None
    if definition is not None:
        target = f"{definition.target.op} {decimal_text(definition.target.value)}"
        met = is_met(tally.value, definition.target.op, definition.target.value)
        baseline = definition.baseline
    return MeasureOutcome(
        id=definition.id if definition is not None else run.name,
        measure=run.name,
        tally=tally,
        target=target,
        met=met,
        baseline=baseline,
        excluded={rule: sorted(tickets) for rule, tickets in sorted(run.excluded.items())},
        numerator_tickets=sorted(run.accumulator.numerator_tickets),
        denominator_tickets=sorted(run.accumulator.denominator_tickets),
    )


def _corrections(ticket: str, events: Sequence[Event]) -> Iterator[dict[str, Any]]:
    """The ticket's `corrected` events as the report lists them: ticket, instant and the event's fields."""
    for event in events:
        if event.type == "corrected":
            yield {"ticket": ticket, "at": format_instant(event.at), **event.data}


def _with_later_corrections(before: Sequence[Event], events: Sequence[Event]) -> Sequence[Event]:
    """The events before END and the corrections at or after it, which reach back over the whole life."""
    later = [event for event in events[len(before) :] if event.type == "corrected"]
    return [*before, *later] if later else before


def _events_before(events: Sequence[Event], end: int) -> Sequence[Event]:
    """The leading events with ``at < end`` (events are sorted by instant)."""
    count = len(events)
    while count and events[count - 1].at >= end:
        count -= 1
    return events if count == len(events) else events[:count]


def _settled_before(events: Sequence[Event], start: int) -> bool:
    """Whether the ticket's last event is before ``start`` and left it resolved or closed."""
    if events[-1].at >= start:
        return False
    for event in reversed(events):
        if event.type == "status":
            return event.data.get("status") in STOPPED_STATUSES
    return False
