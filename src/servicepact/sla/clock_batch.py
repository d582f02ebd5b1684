"""Response and resolution clocks of every ticket of a log at once, on columns (see clock_batch_log.py).

This computes exactly what ``clocks.replay`` computes, with whole-array operations instead of a walk
through each ticket's steps, for the contracts whose clocks it covers (``batch_covers``): response
and resolution clocks with ``on_priority_change: retroactive`` (the default), no update clock, no
OLA clocks, no zero targets, and calendars with vectorised queries. Other contracts go through
``clocks.replay``. The two are held equal by tests on generated logs.

How the scalar rules (clocks.py, clock_trace.py) read in array form, for one clock:
- after each event the ticket has a status and a priority (carried forward from the last event that
  set them) and the clock has a mode, RUN, PAUSE or STOP; it holds from that event's instant to the
  next event's (or to TIME after the last one). Events of one instant each get a mode, but only the
  last one's holds for any time, as in the step walk;
- the clock stopped at the last event that moved it into STOP; if it is stopped at TIME, the priority
  after that event is the one in force at its end, else the priority after the ticket's last event;
- elapsed is the calendar's open time in the RUN stretches; the instant a level is reached is
  ``calendar.add`` from the start of the stretch in which the running total reaches it. Stretches of
  one mode that follow each other are not merged, which changes nothing: open time adds up.
"""

from collections.abc import Callable, Iterator
from itertools import chain
from typing import Any

import numpy as np
import orjson

from servicepact.sla.clock_batch_log import CREATED, PRIORITY, STATUS, LogColumns
from servicepact.sla.clock_rules import RESPONSE, ClockRule, ContractClocks
from servicepact.sla.clock_trace import PAUSE, RUN, STOP
from servicepact.sla.events import EVENT_TYPES, STATUSES, STOPPED_STATUSES
from servicepact.sla.timefmt import civil_from_days, format_instant

NONE = np.iinfo(np.int64).min  # an instant that is null
_STATES = ("running", "paused", "met", "breached")
RUNNING, PAUSED, MET, BREACHED = range(4)


def batch_covers(plan: ContractClocks) -> bool:
    """Whether this module computes the contract's clocks (else ``clocks.replay`` must)."""
    contract = plan.contract
    if len(plan.rules) != 2 or plan.ola_rules:
        return False
    for rule in plan.rules:
        if rule.on_priority_change != "retroactive":
            return False
        for priority in contract.priorities:
            target = rule.targets.get(priority)
            if target is None or target.within_s <= 0:
                return False
    for name in contract.calendars:
        calendar = contract.business_calendar(name)
        if not (hasattr(calendar, "elapsed_many") and hasattr(calendar, "add_many")):
            return False
    return True


class _Tickets:
    """The events of the tickets that exist at TIME, up to TIME, with each event's state after it."""

    def __init__(self, columns: LogColumns, at: int, stop_on: str | None):
        keep = columns.at <= at  # a ticket's `created` comes first, so tickets created later drop out whole
        self.ticket = columns.ticket[keep]
        self.at = columns.at[keep]
        kind = columns.kind[keep]
        count = self.ticket.size
        self.first = np.ones(count, dtype=bool)
        self.first[1:] = self.ticket[1:] != self.ticket[:-1]
        self.last = np.ones(count, dtype=bool)
        self.last[:-1] = self.first[1:]
        self.first_index = np.flatnonzero(self.first)
        self.last_index = np.flatnonzero(self.last)
        self.names = [columns.tickets[index] for index in self.ticket[self.first_index].tolist()]
        self.row = np.cumsum(self.first) - 1  # each event's ticket, counted among the tickets kept
        positions = np.arange(count)
        created = kind == CREATED
        status_set = np.maximum.accumulate(np.where(created | (kind == STATUS), positions, 0))
        self.status = np.where(created, STATUSES.index("new"), columns.status[keep])[status_set]
        priority_set = np.maximum.accumulate(np.where(created | (kind == PRIORITY), positions, 0))
        self.priority = columns.priority[keep][priority_set]
        self.service = columns.service[keep][self.first_index]
        # the next event's instant, or TIME after a ticket's last event
        self.until = np.empty(count, dtype=np.int64)
        self.until[:-1] = self.at[1:]
        self.until[self.last] = at
        self.response_stopped = self._response_stopped(kind, columns.status[keep], stop_on)

    def _response_stopped(self, kind: np.ndarray, status: np.ndarray, stop_on: str | None) -> np.ndarray:
        """After each event: has the response clock's stop condition happened (clock_trace.ticket_steps)?"""
        stopping = np.isin(status, [STATUSES.index(name) for name in STOPPED_STATUSES | {stop_on} if name in STATUSES])
        stops = (kind == STATUS) & stopping
        if stop_on in EVENT_TYPES:
            stops |= kind == EVENT_TYPES.index(stop_on)
        stops &= kind != CREATED  # a ticket starts with its response clock running
        so_far = np.cumsum(stops)
        before_ticket = np.maximum.accumulate(np.where(self.first, so_far - stops, 0))
        return so_far > before_ticket

    def modes(self, rule: ClockRule) -> np.ndarray:
        paused = np.isin(self.status, [STATUSES.index(name) for name in rule.pause_on if name in STATUSES])
        if rule.name == RESPONSE:
            stopped = self.response_stopped
        else:
            stopped = np.isin(self.status, [STATUSES.index(name) for name in STOPPED_STATUSES])
        return np.where(stopped, STOP, np.where(paused, PAUSE, RUN)).astype(np.int8)


class _Targets:
    """The calendar and target of each ticket's clock, resolved once per (priority, service) pair in use."""

    def __init__(self, plan: ContractClocks, rule: ClockRule, priority: np.ndarray, service: np.ndarray):
        contract = plan.contract
        services = sorted(contract.services)
        pairs, self.pair_of = np.unique(priority.astype(np.int64) * len(services) + service, return_inverse=True)
        self.calendars: list[Any] = []
        calendar_names: list[str] = []
        pair_calendar: list[int] = []
        self.pair_target: list[int] = []
        self.pair_text: list[bytes] = []  # the output's "priority" and "calendar" members
        for pair in pairs.tolist():
            priority_name = contract.priorities[pair // len(services)]
            name, calendar, target_s = plan.resolve(rule, priority_name, services[pair % len(services)])
            if name not in calendar_names:
                calendar_names.append(name)
                self.calendars.append(calendar)
            pair_calendar.append(calendar_names.index(name))
            self.pair_target.append(target_s)
            self.pair_text.append(b'"priority":' + orjson.dumps(priority_name) + b',"calendar":' + orjson.dumps(name))
        self.calendar_of = np.array(pair_calendar, dtype=np.int64)[self.pair_of]  # index into calendars
        self.target = np.array(self.pair_target, dtype=np.int64)[self.pair_of]


class _ClockColumns:
    """One clock's numbers, one entry per ticket."""

    def __init__(self, plan: ContractClocks, rule: ClockRule, tickets: _Tickets, at: int):
        mode = tickets.modes(rule)
        last = tickets.last_index
        final_mode = mode[last]
        stopped = final_mode == STOP
        # the event that last moved the clock into STOP decides its end, if it is stopped at TIME
        entering_stop = (mode == STOP) & (tickets.first | (np.roll(mode, 1) != STOP))
        stop_event = np.maximum.accumulate(np.where(entering_stop, np.arange(mode.size), 0))[last]
        self.stopped_at = np.where(stopped, tickets.at[stop_event], NONE)
        self.targets = targets = _Targets(
            plan, rule, tickets.priority[np.where(stopped, stop_event, last)], tickets.service
        )
        calendars, calendar_of, target = targets.calendars, targets.calendar_of, targets.target

        # running stretches, in ticket order, and their open seconds on the ticket's calendar
        running = (mode == RUN) & (tickets.until > tickets.at)
        row = tickets.row[running]
        starts, ends = tickets.at[running], tickets.until[running]
        parts = _per_calendar(
            calendars, calendar_of[row], lambda calendar, mine: calendar.elapsed_many(starts[mine], ends[mine])
        )
        self.elapsed = np.zeros(last.size, dtype=np.int64)
        np.add.at(self.elapsed, row, parts)

        breached = self.elapsed > target
        self.state = np.where(
            breached, BREACHED, np.where(stopped, MET, np.where(final_mode == PAUSE, PAUSED, RUNNING))
        )
        # the instant the target was reached: for breached clocks, and open ones with no time left
        reached = breached | (~stopped & (self.elapsed == target))
        reach_at = _reach(calendars, calendar_of, row, starts, parts, target, reached)
        self.breached_at = np.where(breached, reach_at, NONE)
        time_left = ~stopped & ~reached
        left = target - self.elapsed
        deadline = _per_calendar(
            calendars,
            np.where(time_left, calendar_of, -1),
            lambda calendar, mine: calendar.add_many(np.full(int(mine.sum()), at, dtype=np.int64), left[mine]),
        )
        # an open clock with no time left is due at TIME itself (see clocks.py)
        self.due_at = np.where(time_left, deadline, np.where(breached, reach_at, np.where(reached, at, NONE)))


def _per_calendar(
    calendars: list[Any], calendar_of: np.ndarray, query: Callable[[Any, np.ndarray], np.ndarray]
) -> np.ndarray:
    """``query(calendar, mask)`` for the entries of each calendar (``calendar_of`` -1: none), gathered."""
    result = np.zeros(calendar_of.size, dtype=np.int64)
    for index, calendar in enumerate(calendars):
        mine = calendar_of == index
        if mine.any():
            result[mine] = query(calendar, mine)
    return result


def _reach(
    calendars: list[Any],
    calendar_of: np.ndarray,
    row: np.ndarray,
    starts: np.ndarray,
    parts: np.ndarray,
    level: np.ndarray,
    wanted: np.ndarray,
) -> np.ndarray:
    """Per ticket, the instant the running total of its stretches reaches ``level`` (where ``wanted``)."""
    result = np.full(level.size, NONE, dtype=np.int64)
    if not wanted.any() or row.size == 0:
        return result
    total = np.cumsum(parts)
    before = total - parts
    first_of_row = np.ones(row.size, dtype=bool)
    first_of_row[1:] = row[1:] != row[:-1]
    base = np.maximum.accumulate(np.where(first_of_row, before, 0))
    done_before, done_after = before - base, total - base
    row_level = level[row]
    crossing = wanted[row] & (done_before < row_level) & (done_after >= row_level)
    crossing_row = row[crossing]
    crossing_start, crossing_rest = starts[crossing], (row_level - done_before)[crossing]
    result[crossing_row] = _per_calendar(
        calendars,
        calendar_of[crossing_row],
        lambda calendar, mine: calendar.add_many(crossing_start[mine], crossing_rest[mine]),
    )
    return result


def _instant_texts(instants: np.ndarray, before: bytes, after: bytes) -> list[bytes]:
    """Each instant as ``before`` + its JSON text + ``after``: ``"YYYY-MM-DDTHH:MM:SSZ"`` (quotes
    included) as ``format_instant`` writes it, or ``null``. The digits are put in place for all
    instants at once."""
    null = instants == NONE
    seconds = np.where(null, 0, instants)
    days, second_of_day = np.divmod(seconds, 86400)
    year, month, day = civil_from_days(days)
    if ((year < 0) | (year > 9999)).any():  # outside four-digit years: the scalar formatter's own way
        return [
            before + (b"null" if instant == NONE else b'"' + format_instant(instant).encode() + b'"') + after
            for instant in instants.tolist()
        ]
    template = before + b'"0000-00-00T00:00:00Z"' + after
    text = np.empty((instants.size, len(template)), dtype=np.uint8)
    text[:] = np.frombuffer(template, dtype=np.uint8)
    start = len(before) + 1
    for first, width, value in (
        (0, 4, year),
        (5, 2, month),
        (8, 2, day),
        (11, 2, second_of_day // 3600),
        (14, 2, second_of_day // 60 % 60),
        (17, 2, second_of_day % 60),
    ):
        for position in range(start + first + width - 1, start + first - 1, -1):
            value, digit = np.divmod(value, 10)
            text[:, position] += digit.astype(np.uint8)
    texts = text.view(f"S{len(template)}").ravel()
    texts[null] = before + b"null" + after  # numpy drops the padding of shorter texts when it hands them out
    return texts.tolist()


def _clock_lines(rule: ClockRule, clock: _ClockColumns, tickets: list[bytes]) -> Iterator[bytes]:
    """The clock's output line of each ticket; ``tickets`` holds each ticket's ``{"ticket":…`` opening."""
    head = b',"clock":' + orjson.dumps(rule.name) + b","
    targets = clock.targets
    pair_texts = [
        head + text + b',"target_s":%d,"elapsed_s":' % target
        for text, target in zip(targets.pair_text, targets.pair_target)
    ]
    states = [b',"state":"' + name.encode() + b'","breached_at":' for name in _STATES]
    return map(
        b"".join,
        zip(
            tickets,
            map(pair_texts.__getitem__, targets.pair_of.tolist()),
            clock.elapsed.astype("S").tolist(),
            map(states.__getitem__, clock.state.tolist()),
            _instant_texts(clock.breached_at, b"", b""),
            _instant_texts(clock.due_at, b',"due_at":', b""),
            _instant_texts(clock.stopped_at, b',"stopped_at":', b"}"),
        ),
    )


def replay_lines(plan: ContractClocks, columns: LogColumns, at: int) -> Iterator[bytes]:
    """The replay's JSON Lines (without their newlines), byte for byte those of ``clocks.replay``."""
    tickets = _Tickets(columns, at, plan.response_stop_on)
    if tickets.ticket.size == 0:
        return iter(())
    openings = [b'{"ticket":' + orjson.dumps(name) for name in tickets.names]
    per_clock = [_clock_lines(rule, _ClockColumns(plan, rule, tickets, at), openings) for rule in plan.rules]
    # ticket by ticket, its clocks in the contract's order
    return chain.from_iterable(zip(*per_clock))
