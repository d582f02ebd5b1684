"""Erlang C: how many agents a queue of random arrivals needs (docs/capacity.md has the formulas).

Traffic ``a`` (erlangs) is the arrival rate times the mean handling time. With ``n`` agents and ``n > a``:

    B(0) = 1,  B(k) = a·B(k-1) / (k + a·B(k-1))          Erlang B, by its recursion
    C(n, a) = n·B(n) / (n - a·(1 - B(n)))                  probability that an arrival waits
    SL(n, a, t, h) = 1 - C(n, a) · exp(-(n - a)·t / h)      share answered within t (h: handling time)
    occupancy = a / n

The recursion keeps every intermediate value between 0 and 1, so no factorial or power is ever formed
and a load of tens of thousands of erlangs neither overflows nor loses its precision.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass


class ErlangError(ValueError):
    """Inputs outside the formula's domain; the message names the value."""


@dataclass(frozen=True)
class Staffing:
    agents: int
    wait_probability: float  # C(n, a)
    service_level: float  # share answered within the target time
    occupancy: float


def erlang_b_series(traffic: float) -> Iterator[tuple[int, float]]:
    """(n, B(n, traffic)) for n = 0, 1, 2, ... without end."""
    blocking = 1.0
    n = 0
    yield n, blocking
    while True:
        n += 1
        blocking = traffic * blocking / (n + traffic * blocking)
        yield n, blocking


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that an arrival waits, with ``agents`` agents and ``traffic`` erlangs (1 when n <= a)."""
    _check(traffic=traffic)
    if agents <= traffic:
        return 1.0
    for n, blocking in erlang_b_series(traffic):
        if n == agents:
            return _wait_probability(n, traffic, blocking)
    raise AssertionError("unreachable")


def service_level(agents: int, traffic: float, target_s: float, handling_s: float) -> float:
    """Share of arrivals answered within ``target_s`` seconds (0 when the queue grows without bound)."""
    _check(traffic=traffic, target_s=target_s, handling_s=handling_s)
    if agents <= traffic:
        return 0.0
    return _service_level(agents, traffic, erlang_c(agents, traffic), target_s, handling_s)


def agents_required(
    arrivals_per_hour: float, handling_s: float, target_s: float, level: float, max_occupancy: float
) -> Staffing:
    """The fewest agents whose service level within ``target_s`` is at least ``level`` and whose occupancy
    is at most ``max_occupancy``; no agents when nothing arrives."""
    _check(arrivals_per_hour=arrivals_per_hour, target_s=target_s, handling_s=handling_s)
    if not 0 < level < 1:
        raise ErlangError(f"service level must lie strictly between 0 and 1, not {level}")
    if not 0 < max_occupancy <= 1:
        raise ErlangError(f"maximum occupancy must lie above 0 and at most 1, not {max_occupancy}")
    if arrivals_per_hour == 0:
        return Staffing(0, 0.0, 1.0, 0.0)
    traffic = arrivals_per_hour * handling_s / 3600
    if traffic == 0:  # arrivals that take no time: one agent answers each at once
        return Staffing(1, 0.0, 1.0, 0.0)
    # Below both bounds no n can do: n must exceed a and reach a / max_occupancy.
    least = max(math.floor(traffic) + 1, math.ceil(traffic / max_occupancy))
    for n, blocking in erlang_b_series(traffic):
        if n < least:
            continue
        wait = _wait_probability(n, traffic, blocking)
        level_n = _service_level(n, traffic, wait, target_s, handling_s)
        if level_n >= level and traffic / n <= max_occupancy:
            return Staffing(n, wait, level_n, traffic / n)
    raise AssertionError("unreachable")


def _wait_probability(n: int, traffic: float, blocking: float) -> float:
    return n * blocking / (n - traffic * (1 - blocking))


def _service_level(n: int, traffic: float, wait: float, target_s: float, handling_s: float) -> float:
    if handling_s == 0:
        return 1.0
    return 1 - wait * math.exp(-(n - traffic) * target_s / handling_s)


def _check(**values: float) -> None:
    for name, value in values.items():
        if not math.isfinite(value) or value < 0:
            raise ErlangError(f"{name.replace('_', ' ')} must be a finite number at least 0, not {value}")
