"""Clock states of tickets at an instant (SLA-SPEC section 4): the numbers the contract is judged by.

Definitions this module holds to, where the spec leaves a choice:

- An instant is a whole second. A clock's ``elapsed_s`` is the count of open calendar seconds inside
  its running stretches. The clock is ``breached`` when ``elapsed_s > target_s``; ``elapsed_s ==
  target_s`` is still on time (``met`` if stopped, else ``running`` or ``paused``).
- ``breached_at`` (and ``due_at`` of a breached clock) is the earliest instant at which the elapsed
  time equalled the target: the end of the last second that was still allowed.
- ``due_at`` of a running or paused clock with time left is ``calendar.add(TIME, target_s - elapsed_s)``:
  the deadline if the clock ran from TIME on without pause. With no time left (``elapsed_s ==
  target_s``; the clock stopped running since, at the end of the business day or in a pause), it is
  TIME itself: the target would be reached at once, and a ``due_at`` is never before TIME. A deadline
  the calendar does not reach before the end of its last year (calendar.py: 2200), a sparse calendar
  with a long target, has no ``due_at`` (null), and such a warning share none either.
- The priority in force at the clock's end (its last stop, or TIME) is the one whose calendar and
  target apply (``on_priority_change: retroactive``, the default). With ``restart`` the clock counts
  only from the last priority change before its end. With ``split`` each running stretch is measured
  against the priority then in force (see clock_measure.py).
- Events of the same instant apply in their file order: a priority change written after the stopping
  event in the same second comes after the stop, and a resolve followed by a reopen in one second is
  a stop and a reopen (no time runs in between).
- The response clock stops at the first ``stop_on`` event (``responded``), or the first move to
  ``resolved``/``closed``, whichever is first, and never runs again. The resolution clock stops in
  ``resolved``/``closed`` and runs again on a reopen. ``stopped_at`` is the last move into a stop;
  ``resolved -> closed`` is no new stop.
- The optional update clock counts from the last ``responded`` event (or ``created``) while the
  ticket is open; a reply that comes while it is stopped starts a cycle that is stopped from its start.
- An OLA clock ``ola:<team>`` runs while that team holds the ticket and it is open, from the first
  time the team got it, adding up repeated stays; it is stopped while another team holds it.
- ``warnings_due`` holds, for each of the clock's warning shares, the instant the share of the target
  was or will be reached: reached ones from the history, the rest projected like ``due_at`` for a clock
  that is not stopped; a stopped clock's unreached shares are left out.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil
from typing import Any

from servicepact.sla.calendar import DeadlineBeyondCalendar
from servicepact.sla.clock_measure import (
    Leg,
    consumed_split,
    reach_single,
    reach_split,
    split_elapsed,
)
from servicepact.sla.clock_rules import ClockRule, ContractClocks
from servicepact.sla.clock_trace import (
    AT,
    PAUSE,
    PRIORITY,
    STATUS,
    STOP,
    TicketHistory,
    Trace,
    ticket_steps,
    trace_clock,
)
from servicepact.sla.events import Event
from servicepact.sla.timefmt import format_instant

SPEC_KEYS = (
    "ticket",
    "clock",
    "priority",
    "calendar",
    "target_s",
    "elapsed_s",
    "state",
    "breached_at",
    "due_at",
    "stopped_at",
)


@dataclass(slots=True)
class ClockState:
    ticket: str
    clock: str
    priority: str
    calendar: str
    target_s: int
    elapsed_s: int
    state: str  # "running" | "paused" | "met" | "breached"
    breached_at: int | None
    due_at: int | None
    stopped_at: int | None
    started_at: int
    team: str | None = None  # for OLA clocks
    pause_status: str | None = None  # the status the clock is paused on
    warnings_due: list[tuple[Fraction, int]] = field(default_factory=list)

    def spec_dict(self) -> dict:
        """The spec's output object: exactly its keys, in its order, instants as UTC text."""
        return {
            "ticket": self.ticket,
            "clock": self.clock,
            "priority": self.priority,
            "calendar": self.calendar,
            "target_s": self.target_s,
            "elapsed_s": self.elapsed_s,
            "state": self.state,
            "breached_at": None if self.breached_at is None else format_instant(self.breached_at),
            "due_at": None if self.due_at is None else format_instant(self.due_at),
            "stopped_at": None if self.stopped_at is None else format_instant(self.stopped_at),
        }


@dataclass(slots=True)
class TicketFacts:
    """What reports need to know about a ticket at an instant."""

    ticket: str
    created_at: int
    service: str
    category: str | None
    priority: str  # in force at the instant
    status: str  # at the instant
    teams: list[tuple[int, str]]  # (at, team) from created.team and every `assigned`
    assigned: bool  # any `assigned` event
    reopen_count: int  # moves from resolved back to an open status
    resolved_at: int | None  # the resolution clock's stopped_at: its last stop, if stopped at the instant


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a clock's life, for explaining its elapsed time to people."""

    start: int
    end: int
    kind: str  # "running" | "paused" | "outside_hours" | "weekend" | "holiday" | "closed_date" | "stopped"
    label: str  # paused: the status; holiday: its name; stopped: the status or the team holding it


# A contract's clock rules, kept per contract object for callers that evaluate ticket by ticket.
_contract_clocks: dict[int, tuple[Any, ContractClocks]] = {}


def contract_clocks(contract: Any) -> ContractClocks:
    found = _contract_clocks.get(id(contract))
    if found is None or found[0] is not contract:
        if len(_contract_clocks) > 16:
            _contract_clocks.clear()
        found = (contract, ContractClocks(contract))
        _contract_clocks[id(contract)] = found
    return found[1]


def _effective_runs(rule: ClockRule, trace: Trace) -> tuple[int, list[tuple[int, int, str]]]:
    """(start, running stretches) that count: with `restart`, only those after the last priority change."""
    change = trace.last_priority_change
    if rule.on_priority_change != "restart" or change is None or change <= trace.started_at:
        return trace.started_at, trace.runs
    runs = [(max(start, change), end, priority) for start, end, priority in trace.runs if end > change]
    return change, runs


def _clock_state(plan: ContractClocks, history: TicketHistory, rule: ClockRule, trace: Trace, at: int) -> ClockState:
    priority = trace.end_priority
    calendar_name, calendar, target_s = plan.resolve(rule, priority, history.service)
    if rule.on_priority_change == "retroactive":
        started_at, runs = trace.started_at, trace.runs
    else:
        started_at, runs = _effective_runs(rule, trace)
        if rule.on_priority_change == "split" and any(run[2] != priority for run in runs):
            return _split_clock_state(plan, history, rule, trace, at, runs, started_at)
    stopped = trace.mode == STOP
    elapsed_of = calendar.elapsed
    parts = [elapsed_of(run[0], run[1]) for run in runs]
    elapsed = sum(parts)
    breached_at = None
    if elapsed > target_s:
        state = "breached"
        breached_at = due_at = reach_single(runs, parts, calendar, target_s)
    elif stopped:
        state, due_at = "met", None
    else:
        state = "paused" if trace.mode == PAUSE else "running"
        # With no time left (elapsed equals the target, the clock stopped running since), the target
        # is reached at TIME itself: ``due_at`` is never an instant before TIME.
        due_at = _deadline(calendar, at, target_s - elapsed) if elapsed < target_s else at
    warnings_due = []
    for share in rule.warnings:
        level = ceil(share * target_s)
        if elapsed >= level:
            warnings_due.append((share, reach_single(runs, parts, calendar, level)))
        elif not stopped and (instant := _deadline(calendar, at, level - elapsed)) is not None:
            warnings_due.append((share, instant))
    return ClockState(
        ticket=history.ticket,
        clock=rule.name,
        priority=priority,
        calendar=calendar_name,
        target_s=target_s,
        elapsed_s=elapsed,
        state=state,
        breached_at=breached_at,
        due_at=due_at,
        stopped_at=trace.stopped_at,
        started_at=started_at,
        team=rule.team,
        pause_status=trace.pause_status if state == "paused" else None,
        warnings_due=warnings_due,
    )


def _deadline(calendar, start: int, seconds: int) -> int | None:
    """``calendar.add(start, seconds)``, or None when the calendar does not reach it before its last year."""
    try:
        return calendar.add(start, seconds)
    except DeadlineBeyondCalendar:
        return None


def _split_clock_state(
    plan: ContractClocks,
    history: TicketHistory,
    rule: ClockRule,
    trace: Trace,
    at: int,
    runs: list[tuple[int, int, str]],
    started_at: int,
) -> ClockState:
    priority = trace.end_priority
    calendar_name, calendar, target_s = plan.resolve(rule, priority, history.service)
    legs = []
    for start, end, run_priority in runs:
        _name, run_calendar, run_target = plan.resolve(rule, run_priority, history.service)
        legs.append(Leg(start, end, run_calendar, run_target))
    shares = consumed_split(legs)
    consumed = sum(shares, Fraction(0))
    stopped = trace.mode == STOP
    breached_at = None
    if consumed > 1:
        state = "breached"
        breached_at = due_at = reach_split(legs, shares, Fraction(1))
    elif stopped:
        state, due_at = "met", None
    else:
        state = "paused" if trace.mode == PAUSE else "running"
        due_at = _deadline(calendar, at, ceil((1 - consumed) * target_s)) if consumed < 1 else at
    warnings_due = []
    for share in rule.warnings:
        if consumed >= share:
            warnings_due.append((share, reach_split(legs, shares, share)))
        elif not stopped and (instant := _deadline(calendar, at, ceil((share - consumed) * target_s))) is not None:
            warnings_due.append((share, instant))
    return ClockState(
        ticket=history.ticket,
        clock=rule.name,
        priority=priority,
        calendar=calendar_name,
        target_s=target_s,
        elapsed_s=split_elapsed(consumed, target_s),
        state=state,
        breached_at=breached_at,
        due_at=due_at,
        stopped_at=trace.stopped_at,
        started_at=started_at,
        team=rule.team,
        pause_status=trace.pause_status if state == "paused" else None,
        warnings_due=warnings_due,
    )


def _history(plan: ContractClocks, events: Sequence[Event], at: int) -> TicketHistory:
    if not events or events[0].type != "created":
        raise ValueError("a ticket's events must be sorted and start with 'created'")
    if events[0].at > at:
        raise ValueError(f"ticket {events[0].ticket!r} is created after the evaluation instant {format_instant(at)}")
    return ticket_steps(events, at, plan.response_stop_on)


def _facts(history: TicketHistory, resolution: ClockState) -> TicketFacts:
    last = history.steps[-1]
    return TicketFacts(
        ticket=history.ticket,
        created_at=history.created_at,
        service=history.service,
        category=history.category,
        priority=last[PRIORITY],
        status=last[STATUS],
        teams=history.teams,
        assigned=history.assigned,
        reopen_count=history.reopen_count,
        resolved_at=resolution.stopped_at,
    )


def _clock_states(plan: ContractClocks, history: TicketHistory, at: int) -> list[ClockState]:
    states = []
    steps = history.steps
    for rule in plan.rules_for(history):
        first = rule.first_step(history)
        if first is None:
            continue
        trace = trace_clock(steps, first, at, rule.mode)
        states.append(_clock_state(plan, history, rule, trace, at))
    return states


def evaluate_ticket(contract: Any, events: Sequence[Event], at: int) -> tuple[TicketFacts, list[ClockState]]:
    """Facts and clocks of ONE ticket at instant ``at`` from its sorted events (later events are ignored).

    Clocks come in output order: response, resolution, update (if the contract has it), OLAs by team.
    """
    plan = contract_clocks(contract)
    history = _history(plan, events, at)
    states = _clock_states(plan, history, at)
    return _facts(history, states[1]), states


def replay(
    contract: Any,
    events_by_ticket: Mapping[str, Sequence[Event]],
    at: int,
    pins: Mapping[str, Any] | None = None,
) -> Iterator[ClockState]:
    """Every clock of every ticket created at or before ``at``, by ticket, then in clock order; each
    ticket under its version in ``pins`` when given, else under ``contract``."""
    plan = contract_clocks(contract)
    for ticket in sorted(events_by_ticket):
        events = events_by_ticket[ticket]
        if events[0].at > at:
            continue
        terms = plan if pins is None else contract_clocks(pins.get(ticket, contract))
        yield from _clock_states(terms, ticket_steps(events, at, terms.response_stop_on), at)


def explain_clock(contract: Any, events: Sequence[Event], at: int, clock: str) -> list[Segment]:
    """The clock's life from its start to its end (last stop, or ``at``) cut into explained segments.

    Running stretches are cut further by the calendar into open time ("running") and its closures
    ("outside_hours", "weekend", "holiday" with the holiday's name, "closed_date").
    """
    plan = contract_clocks(contract)
    history = _history(plan, events, at)
    rules = {rule.name: rule for rule in plan.rules_for(history)}
    rule = rules.get(clock)
    if rule is None:
        raise ValueError(f"ticket {history.ticket!r} has no clock {clock!r} (it has: {', '.join(rules)})")
    first = rule.first_step(history)
    trace = trace_clock(history.steps, first, at, rule.mode, keep_stretches=True)
    started_at, _runs = _effective_runs(rule, trace)
    stretches = [
        (max(start, started_at), end, mode, status) for start, end, mode, status in trace.stretches if end > started_at
    ]
    while stretches and stretches[-1][2] == STOP:
        stretches.pop()
    segments: list[Segment] = []
    for start, end, mode, status in stretches:
        if mode == PAUSE:
            segments.append(Segment(start, end, "paused", status))
        elif mode == STOP:
            holder = _holder_at(history, start)
            label = f"held by {holder}" if rule.team is not None and status not in ("resolved", "closed") else status
            segments.append(Segment(start, end, "stopped", label))
        else:
            segments.extend(_running_segments(plan, history, rule, trace, start, end))
    return segments


def _holder_at(history: TicketHistory, instant: int) -> str:
    holder = ""
    for at, team in history.teams:
        if at > instant:
            break
        holder = team or "no team"
    return holder


def _running_segments(
    plan: ContractClocks, history: TicketHistory, rule: ClockRule, trace: Trace, start: int, end: int
) -> list[Segment]:
    priority = trace.end_priority
    if rule.on_priority_change == "split":
        priority = _priority_at(history, start)
    _name, calendar, _target = plan.resolve(rule, priority, history.service)
    if getattr(calendar, "is_always_open", False):
        return [Segment(start, end, "running", "")]
    pieces = [Segment(a, b, "running", "") for a, b in calendar.open_intervals(start, end)]
    pieces += [Segment(c.start, c.end, c.reason, c.label) for c in calendar.closures(start, end)]
    pieces.sort(key=lambda segment: segment.start)
    return pieces


def _priority_at(history: TicketHistory, instant: int) -> str:
    priority = history.steps[0][PRIORITY]
    for step in history.steps:
        if step[AT] > instant:
            break
        priority = step[PRIORITY]
    return priority
