"""Breach warnings of a clock: which thresholds it has reached, and when the sweep must look again.

A threshold is a share of the clock's target: the contract's ``warnings`` (``at: 50%``) and the breach
itself, share 1. The breach is reached when the clock is ``breached`` (one open second past its target),
not when its elapsed time equals the target, so a breach warning is never early. A contract warning at
exactly 100% names who hears of the breach instead of being a second warning at the same point.

Thresholds are stored on the clock's row as text (``str(Fraction)``: "1/2", "9/10", "1"), once fired.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from servicepact.sla.clocks import ClockState as KernelClock
from servicepact.sla.contract_model import Contract as KernelContract

BREACH = Fraction(1)
# Who hears of a breach when the contract's warnings do not say: everyone who can act on it.
BREACH_ROLES = ("assignee", "team_lead", "on_call", "customer_manager")
# An OLA is the provider's internal promise: its breach is the team's business, not the customer's.
OLA_BREACH_ROLES = ("assignee", "team_lead")


@dataclass(frozen=True)
class Threshold:
    share: Fraction
    reached_at: int  # epoch seconds
    notify: tuple[str, ...]

    @property
    def key(self) -> str:
        return threshold_key(self.share)

    @property
    def is_breach(self) -> bool:
        return self.share == BREACH


def threshold_key(share: Fraction) -> str:
    return str(share)


def warning_roles(contract: KernelContract, clock: str) -> dict[Fraction, tuple[str, ...]]:
    """share -> roles to notify, from the contract's clock definition; the breach always has roles."""
    definition = contract.clocks.get(clock)
    roles = {Fraction(warning.at): tuple(warning.notify) for warning in (definition.warnings if definition else ())}
    roles.setdefault(BREACH, BREACH_ROLES if definition is not None else OLA_BREACH_ROLES)
    return roles


def is_stopped(state: KernelClock) -> bool:
    return state.stopped_at is not None


def reached_thresholds(contract: KernelContract, state: KernelClock, at: int) -> list[Threshold]:
    """The thresholds ``state`` has reached by ``at``, in rising order.

    A stopped clock's warnings are no longer worth telling anyone, but its breach is a fact to record.
    """
    roles = warning_roles(contract, state.clock)
    reached: list[Threshold] = []
    if not is_stopped(state):
        for share, instant in state.warnings_due:
            if share != BREACH and instant <= at:
                reached.append(Threshold(share, instant, roles[share]))
    if state.state == "breached" and state.breached_at is not None:
        reached.append(Threshold(BREACH, state.breached_at, roles[BREACH]))
    return sorted(reached, key=lambda threshold: threshold.share)


def unfired(thresholds: Iterable[Threshold], fired: Iterable[str]) -> list[Threshold]:
    done = set(fired)
    return [threshold for threshold in thresholds if threshold.key not in done]


def next_check(contract: KernelContract, state: KernelClock, fired: Iterable[str], at: int) -> int | None:
    """When the sweep must look at this clock again: the earliest unfired threshold, reached or projected.

    Reached but unfired thresholds give an instant at or before ``at`` (the sweep takes them on its next
    pass). A running clock looks again at its projected warnings and at its breach instant; a paused or
    stopped clock changes only through an action, which refreshes it.
    """
    done = set(fired)
    candidates = [threshold.reached_at for threshold in unfired(reached_thresholds(contract, state, at), done)]
    if state.state in ("running", "breached") and not is_stopped(state):
        for share, instant in state.warnings_due:
            if share != BREACH and instant > at and threshold_key(share) not in done:
                candidates.append(instant)
        if state.state == "running" and threshold_key(BREACH) not in done:
            calendar = contract.business_calendar(state.calendar)
            # One open second past the target: the first instant the clock is breached.
            candidates.append(calendar.add(at, max(state.target_s - state.elapsed_s, 0) + 1))
    return min(candidates) if candidates else None
