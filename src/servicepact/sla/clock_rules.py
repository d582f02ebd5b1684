"""Which clocks a ticket has under a contract, and when each of them runs (SLA-SPEC section 4).

A ``ClockRule`` names a clock, says from which step of the ticket's history it starts and what its
mode is at each step, and carries the contract's targets for it. ``ContractClocks`` holds a contract's
rules and resolves (clock, priority, service) to (calendar name, calendar, target seconds), cached,
since a replay asks the same question for every ticket.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from servicepact.sla.clock_trace import (
    EVENT_TYPE,
    PAUSE,
    RESPONSE_STOPPED,
    RUN,
    STATUS,
    STOP,
    TEAM,
    Step,
    TicketHistory,
)
from servicepact.sla.events import STOPPED_STATUSES

RESPONSE, RESOLUTION, UPDATE = "response", "resolution", "update"
OLA_PREFIX = "ola:"


@dataclass(frozen=True, slots=True)
class ClockRule:
    name: str  # "response", "resolution", "update" or "ola:<team>"
    targets: Mapping[str, Any]  # priority -> Target (within_s, calendar)
    pause_on: frozenset[str]
    on_priority_change: str  # "retroactive" | "restart" | "split"
    warnings: tuple[Fraction, ...]
    team: str | None = None

    def mode(self, step: Step) -> int:
        status = step[STATUS]
        if self.name == RESPONSE:
            if step[RESPONSE_STOPPED]:
                return STOP
        elif status in STOPPED_STATUSES or (self.team is not None and step[TEAM] != self.team):
            return STOP
        return PAUSE if status in self.pause_on else RUN

    def first_step(self, history: TicketHistory) -> int | None:
        """Index of the step at which the clock (its current cycle, for the update clock) starts; None if never."""
        steps = history.steps
        if self.name == UPDATE:
            for index in range(len(steps) - 1, 0, -1):
                if steps[index][EVENT_TYPE] == "responded":
                    return index
            return 0
        if self.team is not None:
            for index, step in enumerate(steps):
                if step[TEAM] == self.team:
                    return index
            return None
        return 0


def _clock_rule(name: str, clock: Any) -> ClockRule:
    return ClockRule(
        name=name,
        targets=clock.targets,
        pause_on=frozenset(clock.pause_on),
        on_priority_change=getattr(clock, "on_priority_change", "retroactive") or "retroactive",
        warnings=tuple(Fraction(warning.at) for warning in getattr(clock, "warnings", ()) or ()),
    )


class ContractClocks:
    """A contract's clock rules, and its (clock, priority, service) -> calendar and target lookups."""

    def __init__(self, contract: Any):
        self.contract = contract
        clocks = contract.clocks
        self.response_stop_on: str | None = getattr(clocks[RESPONSE], "stop_on", None)
        self.rules: list[ClockRule] = [
            _clock_rule(RESPONSE, clocks[RESPONSE]),
            _clock_rule(RESOLUTION, clocks[RESOLUTION]),
        ]
        if UPDATE in clocks:
            self.rules.append(_clock_rule(UPDATE, clocks[UPDATE]))
        self.ola_rules: dict[str, ClockRule] = {}
        for team in sorted(getattr(contract, "olas", None) or {}):
            ola = contract.olas[team]
            self.ola_rules[team] = ClockRule(
                name=OLA_PREFIX + team,
                targets=ola.targets,
                pause_on=frozenset(ola.pause_on),
                on_priority_change="retroactive",
                warnings=(),
                team=team,
            )
        self._resolved: dict[tuple[str, str, str], tuple[str, Any, int]] = {}

    def rules_for(self, history: TicketHistory) -> list[ClockRule]:
        """The ticket's clocks in output order: response, resolution, update, then OLAs by team."""
        if not self.ola_rules:
            return self.rules
        held = {team for _at, team in history.teams}
        return self.rules + [rule for team, rule in self.ola_rules.items() if team in held]

    def resolve(self, rule: ClockRule, priority: str, service: str) -> tuple[str, Any, int]:
        """(calendar name, calendar, target seconds) of a clock at a priority for a service."""
        key = (rule.name, priority, service)
        found = self._resolved.get(key)
        if found is None:
            target = rule.targets.get(priority)
            if target is None:
                raise KeyError(f"clock {rule.name!r} has no target for priority {priority!r}")
            calendar_name = target.calendar
            if calendar_name == "service":
                calendar_name = self.contract.services[service].calendar
            found = (calendar_name, self.contract.business_calendar(calendar_name), target.within_s)
            self._resolved[key] = found
        return found
