"""A clock's running stretches measured on business calendars: elapsed time, and when a level is reached.

Two ways of measuring, chosen by the clock's ``on_priority_change``:

- One target (``retroactive`` and ``restart``): every running stretch is measured on one calendar
  against one target. ``elapsed`` is the open seconds of the stretches.
- ``split``: each stretch is measured on the calendar of the priority in force during it, against that
  priority's target. What a stretch consumes is ``open seconds / target seconds``, an exact fraction,
  and the consumed fractions add up. The clock is breached when the sum exceeds 1. It is reported in
  the terms of the priority in force at its end: ``elapsed_s = ceil(consumed * target_s)``, rounded
  up so that ``elapsed_s > target_s`` exactly when the consumed fraction exceeds 1.

"Reaching" a level L (the target, or a warning's share of it) means the earliest instant at which the
clock's consumption equals L. For a level in seconds on one calendar that is ``calendar.add`` from the
start of the stretch in which it is reached; as an instant is a whole second, a fractional level is
first rounded up to whole seconds of the stretch's calendar. An instant reached inside closed hours is
never chosen: ``add`` gives the earliest instant, which is the end of the last open second counted.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil
from typing import Protocol


class Calendar(Protocol):
    def elapsed(self, start: int, end: int) -> int: ...

    def add(self, start: int, seconds: int) -> int: ...


@dataclass(frozen=True, slots=True)
class Leg:
    """A running stretch with the calendar and target it is measured against."""

    start: int
    end: int
    calendar: Calendar
    target_s: int


def reach_single(runs: Sequence[tuple], parts: list[int], calendar: Calendar, level_s: int) -> int | None:
    """The earliest instant at which the stretches' open time reaches ``level_s`` seconds; None if it never does.

    ``runs`` are (start, end, ...) tuples and ``parts`` their open seconds on ``calendar``.
    """
    done = 0
    for run, part in zip(runs, parts):
        if done + part >= level_s:
            return calendar.add(run[0], level_s - done)
        done += part
    return None


def consumed_split(legs: list[Leg]) -> list[Fraction]:
    """The share of its own target that each leg consumed.

    A zero target is exceeded by any open second at all; such a leg counts as twice its target, which
    is enough to breach the clock whatever the other legs consumed; no more is ever read from it.
    """
    shares = []
    for leg in legs:
        part = leg.calendar.elapsed(leg.start, leg.end)
        if leg.target_s == 0:
            shares.append(Fraction(2) if part else Fraction(0))
        else:
            shares.append(Fraction(part, leg.target_s))
    return shares


def reach_split(legs: list[Leg], shares: list[Fraction], level: Fraction) -> int | None:
    """The earliest instant at which the consumed fraction reaches ``level``; None if it never does."""
    done = Fraction(0)
    for leg, share in zip(legs, shares):
        if done + share >= level:
            if leg.target_s == 0:  # any open second of a zero target uses it all up at once
                return leg.start
            return leg.calendar.add(leg.start, ceil((level - done) * leg.target_s))
        done += share
    return None


def split_elapsed(consumed: Fraction, target_s: int) -> int:
    return ceil(consumed * target_s)
