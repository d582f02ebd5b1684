"""Capacity from demand: agents each team needs, per hour of the week, from the tickets it was given.

For every team and hour of the week (weekday 1-7, hour 0-23, in the team's time zone) over the months of
a range, docs/capacity.md defines the row this module computes:

- ``arrivals_per_hour``: assignments to the team that started in that hour of the week, divided by the
  number of times that hour of the week occurs in the range (each local day counts each of its hours once);
- ``aht_s``: the mean business time from an assignment to the team until the ticket is resolved or moves
  to another queue, counted in the resolution clock's calendar without its paused statuses, each capped at
  the ticket's resolution target;
- ``target_s``: the response target of the team's commonest priority (or the one given);
- ``agents_required`` by Erlang C (erlang.py), ``agents_scheduled`` after shrinkage, rounded up.

Each ticket follows the contract version it is pinned to, unless ``targets`` names one contract whose
targets and calendars all tickets follow: the what-if of a draft contract.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from servicepact.sla.clock_trace import AT, EVENT_TYPE, PRIORITY, STATUS, TEAM, ticket_steps
from servicepact.sla.contract_checks import SERVICE_CALENDAR
from servicepact.sla.contract_model import Contract
from servicepact.sla.erlang import agents_required
from servicepact.sla.events import STOPPED_STATUSES, Event
from servicepact.sla.periods import month_range

ARRIVING = frozenset({"created", "assigned"})  # the events that put a ticket in a team's queue
WEEKDAYS = range(1, 8)  # ISO: 1 Monday .. 7 Sunday
HOURS = range(24)
ROW_KEYS = (
    "team",
    "weekday",
    "hour",
    "arrivals_per_hour",
    "aht_s",
    "target_s",
    "agents_required",
    "agents_scheduled",
)


class CapacityError(ValueError):
    """Options the computation cannot use; the message names the option."""


@dataclass(frozen=True)
class CapacityOptions:
    service_level: Fraction = Fraction(8, 10)
    max_occupancy: Fraction = Fraction(85, 100)
    shrinkage: Fraction = Fraction(3, 10)
    target_s: int | None = None  # the response target to answer within; default per team (see above)

    def check(self) -> None:
        if not 0 < self.service_level < 1:
            raise CapacityError(f"--service-level: {_shown(self.service_level)} must lie strictly between 0 and 1")
        if not 0 < self.max_occupancy <= 1:
            raise CapacityError(f"--max-occupancy: {_shown(self.max_occupancy)} must lie above 0 and at most 1")
        if not 0 <= self.shrinkage < 1:
            raise CapacityError(f"--shrinkage: {_shown(self.shrinkage)} must be at least 0 and below 1")
        if self.target_s is not None and self.target_s <= 0:
            raise CapacityError("--target: must be longer than 0s")


@dataclass(frozen=True, slots=True)
class Assignment:
    team: str
    start: int
    handling_s: int
    priority: str


def team_zone(contract: Contract, team: str) -> str:
    """A team's time zone as the contract knows it: that of the calendar its OLA's targets count in, when
    that is a calendar with hours; otherwise the contract's reporting zone. The service passes the zone it
    keeps for each team instead."""
    ola = contract.olas.get(team)
    if ola is not None:
        for target in ola.targets.values():
            definition = contract.calendars.get(target.calendar)
            if definition is not None and not definition.always_open:
                return definition.timezone
    return contract.reporting_timezone


class _Rules:
    """One contract's resolution rules, looked up once per priority and service (a log has many tickets)."""

    def __init__(self, contract: Contract):
        self.contract = contract
        self.stop_on = contract.clocks["response"].stop_on
        self.pause_on = contract.clocks["resolution"].pause_on
        self.targets = contract.clocks["resolution"].targets
        self.calendars: dict[tuple[str, str], Any] = {}

    def calendar(self, priority: str, service: str):
        key = (priority, service)
        if key not in self.calendars:
            self.calendars[key] = _resolution_calendar(self.contract, priority, service)
        return self.calendars[key]

    def cap(self, priority: str, worked: int) -> int:
        target = self.targets.get(priority)
        return min(worked, target.within_s) if target is not None else worked


def assignments(
    contract: Contract, events: Sequence[Event], until: int, rules: _Rules | None = None
) -> list[Assignment]:
    """Every stay of the ticket in a team's queue, with its handling time (see the module's text)."""
    rules = rules or _Rules(contract)
    history = ticket_steps(events, events[-1].at, rules.stop_on)
    found: list[Assignment] = []
    team, start, worked = None, 0, 0
    steps = history.steps
    for index, step in enumerate(steps):
        stopped = step[STATUS] in STOPPED_STATUSES
        if team is not None and (step[TEAM] != team or stopped):
            priority = steps[index - 1][PRIORITY]
            found.append(Assignment(team, start, rules.cap(priority, worked), priority))
            team = None
        if team is None and step[TEAM] is not None and not stopped and step[EVENT_TYPE] in ARRIVING:
            team, start, worked = step[TEAM], step[AT], 0
        if team is not None:
            end = steps[index + 1][AT] if index + 1 < len(steps) else max(until, step[AT])
            if step[STATUS] not in rules.pause_on and end > step[AT]:
                calendar = rules.calendar(step[PRIORITY], history.service)
                worked += calendar.elapsed(step[AT], end) if calendar is not None else end - step[AT]
    if team is not None:
        priority = steps[-1][PRIORITY]
        found.append(Assignment(team, start, rules.cap(priority, worked), priority))
    return found


def _resolution_calendar(contract: Contract, priority: str, service: str):
    target = contract.clocks["resolution"].targets.get(priority)
    if target is None:
        return None
    name = target.calendar
    if name == SERVICE_CALENDAR:
        if service not in contract.services:
            return None
        name = contract.services[service].calendar
    return contract.business_calendar(name)


def capacity_rows(
    in_force: Contract,
    events_by_ticket: Mapping[str, Sequence[Event]],
    pins: Mapping[str, Contract],
    first_month: str,
    last_month: str,
    options: CapacityOptions,
    *,
    team: str | None = None,
    zones: Mapping[str, str] | None = None,
    targets: Contract | None = None,
) -> list[dict[str, Any]]:
    """The rows of every team (or of ``team``), 168 per team in weekday then hour order.

    ``in_force`` is the version whose response targets give ``target_s``; ``zones`` maps a team to its time
    zone (default ``team_zone``); ``targets`` makes every ticket follow that contract's targets and calendars.
    Raises CapacityError for bad options and PeriodError for a bad month."""
    options.check()
    rules = targets or in_force
    zones = dict(zones or {})
    by_team: dict[str, list[Assignment]] = defaultdict(list)
    # a stay still open at the end of the log counts until the range's end (the latest of any zone's)
    until = month_range(first_month, last_month, "Etc/GMT+12")[-1].end
    lookups: dict[int, _Rules] = {}
    for ticket, events in events_by_ticket.items():
        contract = targets if targets is not None and _knows(targets, events) else pins[ticket]
        contract_rules = lookups.get(id(contract))
        if contract_rules is None:
            contract_rules = lookups[id(contract)] = _Rules(contract)
        for stay in assignments(contract, events, until, contract_rules):
            if team is None or stay.team == team:
                by_team[stay.team].append(stay)
    names = sorted(by_team) if team is None else [team]
    rows: list[dict[str, Any]] = []
    for name in names:
        zone = zones.get(name) or team_zone(rules, name)
        months = month_range(first_month, last_month, zone)
        rows.extend(_team_rows(name, zone, (months[0].start, months[-1].end), by_team.get(name, []), rules, options))
    return rows


def _knows(contract: Contract, events: Sequence[Event]) -> bool:
    return events[0].data.get("service") in contract.services


def _team_rows(
    team: str,
    zone: str,
    bounds: tuple[int, int],
    stays: list[Assignment],
    rules: Contract,
    options: CapacityOptions,
) -> list[dict[str, Any]]:
    start, end = bounds
    tz = ZoneInfo(zone)
    arrivals: Counter[tuple[int, int]] = Counter()
    handling: defaultdict[tuple[int, int], int] = defaultdict(int)
    priorities: Counter[str] = Counter()
    for stay in stays:
        if not start <= stay.start < end:
            continue
        local = datetime.fromtimestamp(stay.start, UTC).astimezone(tz)
        slot = (local.isoweekday(), local.hour)
        arrivals[slot] += 1
        handling[slot] += stay.handling_s
        priorities[stay.priority] += 1
    occurrences = weekday_occurrences(_local_day(start, tz), _local_day(end - 1, tz))
    target_s = options.target_s if options.target_s is not None else commonest_response_target(rules, priorities)
    rows = []
    for weekday in WEEKDAYS:
        for hour in HOURS:
            count = arrivals[(weekday, hour)]
            rate = Fraction(count, occurrences[weekday]) if occurrences[weekday] else Fraction(0)
            aht = Fraction(handling[(weekday, hour)], count) if count else None
            required = 0
            if count and target_s is not None:
                required = agents_required(
                    float(rate), float(aht), target_s, float(options.service_level), float(options.max_occupancy)
                ).agents
            rows.append(
                {
                    "team": team,
                    "weekday": weekday,
                    "hour": hour,
                    "arrivals_per_hour": round(float(rate), 4),
                    "aht_s": None if aht is None else round(float(aht)),
                    "target_s": target_s,
                    "agents_required": required,
                    "agents_scheduled": scheduled(required, options.shrinkage),
                }
            )
    return rows


def scheduled(required: int, shrinkage: Fraction) -> int:
    """Agents to schedule so that ``required`` remain after shrinkage (absence, training, breaks)."""
    return math.ceil(Fraction(required) / (1 - shrinkage))


def commonest_response_target(contract: Contract, priorities: Counter[str]) -> int | None:
    """The response target of the commonest priority (ties: the first in the contract's order)."""
    known = [p for p in contract.priorities if p in contract.clocks["response"].targets]
    if not known:
        return None
    if priorities:
        best = max(known, key=lambda p: (priorities[p], -known.index(p)))
    else:
        best = known[0]
    return contract.clocks["response"].targets[best].within_s


def weekday_occurrences(first: date, last: date) -> dict[int, int]:
    """How many of each ISO weekday lie from ``first`` to ``last``, both included."""
    counts = dict.fromkeys(WEEKDAYS, 0)
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    for weekday in WEEKDAYS:
        counts[weekday] = weeks
    for offset in range(rest):
        counts[(first + timedelta(days=offset)).isoweekday()] += 1
    return counts


def _local_day(instant: int, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(instant, UTC).astimezone(tz).date()


def _shown(value: Fraction) -> str:
    """A share as its decimal text, whatever its size (a float would overflow on 1e999999)."""
    return f"{(Decimal(value.numerator) / Decimal(value.denominator)).normalize():g}"
