"""Availability of a service over a period (SLA-SPEC section 6, "The number").

For one measure and one period [START, END):
- S: the open instants of the measure's calendar (default: the service's) in [START, END);
- M: the instants of the service's planned outages that lie in the open hours of the contract's
  ``maintenance`` calendar (none without one); the agreed service time AST = S - M;
- D: the instants of AST covered by any outage of the service (overlaps count once; an open outage, or
  one ending after END, runs to END; a planned outage outside the maintenance windows is downtime).
numerator = |AST| - |D|, denominator = |AST|, value = numerator / denominator (null when |AST| is 0).

Computed with the calendars' open-interval tables: as M lies inside the union of all outages U,
|AST| = |S| - |S ∩ M| and |D| = |S ∩ U| - |S ∩ M|, so only |S ∩ X| for unions of intervals X is needed,
which is the calendar's ``elapsed`` summed over X's disjoint pieces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from servicepact.sla.outages import Outage
from servicepact.sla.timefmt import format_instant

if TYPE_CHECKING:
    from servicepact.sla.calendar import BusinessCalendar
    from servicepact.sla.contract_model import Contract, MeasureDef

AVAILABILITY = "availability"
# Availability values are printed with more decimals than the other ratios: 0.9995 and 0.99949 differ
# by 26 seconds of a month, which can decide a credit.
AVAILABILITY_PLACES = 6


@dataclass
class Availability:
    """One availability measure's figures for a period, in seconds, and the outages it counted."""

    service: str
    calendar: str
    service_s: int  # |S|
    maintenance_s: int  # |S ∩ M|: planned outage time in the maintenance windows, inside S
    downtime_s: int  # |D|
    outages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def agreed_s(self) -> int:
        return self.service_s - self.maintenance_s

    @property
    def numerator(self) -> int:
        return self.agreed_s - self.downtime_s

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.numerator, self.agreed_s) if self.agreed_s else None

    def figures(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "calendar": self.calendar,
            "service_time_s": self.service_s,
            "maintenance_s": self.maintenance_s,
            "agreed_service_time_s": self.agreed_s,
            "downtime_s": self.downtime_s,
        }


def merged(intervals: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of half-open intervals as disjoint, sorted ones (touching intervals join)."""
    result: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def open_seconds(calendar: BusinessCalendar, intervals: Sequence[tuple[int, int]]) -> int:
    """|open(calendar) ∩ union of intervals|, the intervals being disjoint."""
    return sum(calendar.elapsed(start, end) for start, end in intervals)


def measure_calendar(contract: Contract, definition: MeasureDef) -> str:
    """The calendar of an availability measure: its own, else its service's."""
    if definition.calendar is not None:
        return definition.calendar
    return contract.services[definition.service].calendar


def availability(
    contract: Contract, definition: MeasureDef, outages: Sequence[Outage], start: int, end: int
) -> Availability:
    """The availability measure ``definition`` of ``contract`` over [start, end) from the outage log."""
    service = definition.service
    calendar_name = measure_calendar(contract, definition)
    calendar = contract.business_calendar(calendar_name)
    own = [(outage, piece) for outage in outages if outage.service == service if (piece := outage.clipped(start, end))]
    down = merged([piece for _, piece in own])
    maintenance_pieces: list[tuple[int, int]] = []
    if contract.maintenance is not None:
        windows = contract.business_calendar(contract.maintenance)
        planned = merged([piece for outage, piece in own if outage.planned])
        maintenance_pieces = [part for low, high in planned for part in windows.open_intervals(low, high)]
    maintenance_s = open_seconds(calendar, maintenance_pieces)
    result = Availability(
        service=service,
        calendar=calendar_name,
        service_s=calendar.elapsed(start, end),
        maintenance_s=maintenance_s,
        downtime_s=open_seconds(calendar, down) - maintenance_s,
    )
    result.outages = [_counted(outage, piece, calendar, maintenance_pieces) for outage, piece in own]
    result.outages.sort(key=lambda item: (item["start"], item["end"] is None, item["end"] or "", item["line"]))
    return result


def _counted(
    outage: Outage, piece: tuple[int, int], calendar: BusinessCalendar, maintenance: list[tuple[int, int]]
) -> dict[str, Any]:
    """An outage as a drill-down lists it: its fields and its own seconds in the period (overlaps with
    other outages count in each, so these need not add up to the measure's downtime)."""
    in_service = calendar.elapsed(*piece)
    in_windows = 0
    if outage.planned:
        overlaps = [(max(a, piece[0]), min(b, piece[1])) for a, b in maintenance]
        in_windows = open_seconds(calendar, [(a, b) for a, b in overlaps if b > a])
    return {
        **outage.canonical_record(),
        "line": outage.line,
        "counted_from": format_instant(piece[0]),
        "counted_to": format_instant(piece[1]),
        "service_time_s": in_service,
        "maintenance_s": in_windows,
        "downtime_s": in_service - in_windows,
    }
