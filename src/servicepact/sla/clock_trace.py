"""A ticket's history as a sequence of states, and a clock's life traced through it.

``ticket_steps`` turns a ticket's sorted events into one ``Step`` per event: the ticket's state right
after that event. Events of the same instant are separate steps in file order, because their order
carries meaning (a resolve and a reopen in the same second is still a stop and a reopen).

A clock decides, for each step, whether it runs, is paused or is stopped from that instant on
(a ``Mode``). ``trace_clock`` walks the steps once and collects what the clock's numbers are made of:
its running stretches (with the priority then in force), when it last stopped, which priority was in
force at its end, and the last priority change before that end.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from servicepact.sla.events import STOPPED_STATUSES, Event

RUN, PAUSE, STOP = 0, 1, 2


# A step is a plain tuple, as a replay makes millions of them:
# (at, event_type, status, priority, team, response_stopped), where response_stopped says that the
# response clock's stop condition has happened at or before this step.
Step = tuple[int, str, str, str, str | None, bool]
AT, EVENT_TYPE, STATUS, PRIORITY, TEAM, RESPONSE_STOPPED = range(6)


@dataclass(slots=True)
class TicketHistory:
    ticket: str
    created_at: int
    service: str
    category: str | None
    steps: list[Step]
    teams: list[tuple[int, str | None]]  # (since, team) in time order; None: back in no team's queue
    assigned: bool
    reopen_count: int
    responded_at: list[int]  # instants of every `responded` event


def ticket_steps(events: Sequence[Event], at: int, response_stop_on: str | None) -> TicketHistory:
    """The states of one ticket (events sorted, the first one `created`) up to and including instant ``at``."""
    created = events[0]
    data = created.data
    status = "new"
    priority = data["priority"]
    team = data.get("team")
    teams = [(created.at, team)] if team else []
    responded_at: list[int] = []
    response_stopped = False
    assigned = False
    reopen_count = 0
    steps: list[Step] = [(created.at, "created", status, priority, team, False)]
    service, category = data["service"], data.get("category")
    later = len(events)
    for index in range(1, len(events)):
        event = events[index]
        if event.at > at:
            later = index
            break
        event_type = event.type
        if event_type == "corrected":
            service, category = _corrected(event.data, service, category)
            continue
        if event_type == "amended":
            continue  # a change no clock reads (docs/measures.md, "Imported history")
        if event_type == "status":
            new_status = event.data["status"]
            if status == "resolved" and new_status not in STOPPED_STATUSES:
                reopen_count += 1
            status = new_status
            if status in STOPPED_STATUSES or status == response_stop_on:
                response_stopped = True
        elif event_type == "priority":
            priority = event.data["priority"]
        elif event_type == "assigned":
            team = event.data["team"]
            teams.append((event.at, team))
            assigned = True
        elif event_type == "responded":
            responded_at.append(event.at)
        elif event_type == "unassigned":
            team = None
            teams.append((event.at, None))
        if event_type == response_stop_on:
            response_stopped = True
        steps.append((event.at, event_type, status, priority, team, response_stopped))
    # Corrections are retroactive wherever they stand, also after ``at``: what the ticket was about all along.
    for event in events[later:]:
        if event.type == "corrected":
            service, category = _corrected(event.data, service, category)
    return TicketHistory(
        ticket=created.ticket,
        created_at=created.at,
        service=service,
        category=category,
        steps=steps,
        teams=teams,
        assigned=assigned,
        reopen_count=reopen_count,
        responded_at=responded_at,
    )


def _corrected(correction: dict, service: str, category: str | None) -> tuple[str, str | None]:
    """(service, category) after a `corrected` event: each field it names replaces the value before."""
    return correction.get("service", service), correction["category"] if "category" in correction else category


class Trace:
    """What a clock's numbers are made of (a plain slotted class: one is made per clock of a replay)."""

    __slots__ = (
        "started_at",
        "runs",
        "mode",
        "pause_status",
        "stopped_at",
        "end_priority",
        "last_priority_change",
        "stretches",
    )

    def __init__(self, started_at: int, runs: list[tuple[int, int, str]]):
        self.started_at = started_at
        self.runs = runs  # (start, end, priority) of each running stretch, none of them empty
        self.mode = RUN  # at the evaluation instant
        self.pause_status: str | None = None  # the status the clock is paused on, when mode is PAUSE
        self.stopped_at: int | None = None  # the last stop, when mode is STOP
        self.end_priority = ""  # in force at the clock's end: its last stop, or the evaluation instant
        self.last_priority_change: int | None = None  # the last change of priority before the clock's end
        # every stretch of the clock's life, for explanations: (start, end, mode, status)
        self.stretches: list[tuple[int, int, int, str]] | None = None


ModeOf = Callable[[Step], int]


def trace_clock(steps: Sequence[Step], first: int, at: int, mode_of: ModeOf, *, keep_stretches: bool = False) -> Trace:
    """The life of a clock that starts at ``steps[first]`` and is evaluated at instant ``at``."""
    start_step = steps[first]
    runs: list[tuple[int, int, str]] = []
    trace = Trace(start_step[AT], runs)
    if keep_stretches:
        trace.stretches = []
    cursor = start_step[AT]
    mode = mode_of(start_step)
    status = start_step[STATUS]
    priority = start_step[PRIORITY]
    last_change: int | None = None
    stop_priority = priority
    stop_change: int | None = None
    stopped_at = cursor if mode == STOP else None
    for index in range(first + 1, len(steps)):
        step = steps[index]
        step_at = step[AT]
        if step_at > cursor:
            if mode == RUN:
                runs.append((cursor, step_at, priority))
            if keep_stretches:
                trace.stretches.append((cursor, step_at, mode, status))
            cursor = step_at
        new_mode = mode_of(step)
        if step[PRIORITY] != priority:
            priority = step[PRIORITY]
            last_change = step_at
        if new_mode == STOP and mode != STOP:
            stopped_at = step_at
            stop_priority = priority
            stop_change = last_change
        mode = new_mode
        status = step[STATUS]
    if at > cursor:
        if mode == RUN:
            runs.append((cursor, at, priority))
        if keep_stretches:
            trace.stretches.append((cursor, at, mode, status))
    trace.mode = mode
    if mode == STOP:
        trace.stopped_at = stopped_at
        trace.end_priority = stop_priority
        trace.last_priority_change = stop_change
    else:
        trace.end_priority = priority
        trace.last_priority_change = last_change
        if mode == PAUSE:
            trace.pause_status = status
    return trace
