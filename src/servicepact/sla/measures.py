"""Service-level measures over the clocks of every ticket at a period's end.

Each measure is an accumulator: the report walks the tickets once, asks every measure whether a ticket is
in its population (``counts``), drops it if one of the measure's exclusions matches, and feeds it
(``add``). Values are exact (``Fraction`` or ``int``); rounding happens only when a report is printed.
docs/measures.md defines every measure: its formula, what counts and its unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from servicepact.sla.clocks import ClockState, Segment, TicketFacts
    from servicepact.sla.contract import Contract, MeasureDef
    from servicepact.sla.events import Event

OLA_PREFIX = "ola:"
UNASSIGNED_TEAM = "(unassigned)"
COMPARISONS: dict[str, Callable[[Fraction, Fraction], bool]] = {
    ">=": lambda value, target: value >= target,
    ">": lambda value, target: value > target,
    "<=": lambda value, target: value <= target,
    "<": lambda value, target: value < target,
}
# Ticket facts an exclusion may name; the reference contract only uses `category`.
EXCLUDABLE_FIELDS = ("category", "service", "priority")


@dataclass(slots=True)
class TicketAtEnd:
    """One ticket as a report sees it: evaluated at the period's END from its events before END."""

    facts: TicketFacts
    clocks: dict[str, ClockState]  # by clock name: "response", "resolution", "update", "ola:<team>"
    events: Sequence[Event]
    contract: Contract
    end: int
    # explains a clock at END (clocks.explain_clock bound to this ticket); only some measures need it
    explain: Callable[[str], list[Segment]]

    @property
    def ticket(self) -> str:
        return self.facts.ticket


@dataclass(frozen=True, slots=True)
class Window:
    """The period a measure reports on: instants in [start, end)."""

    start: int
    end: int

    def holds(self, instant: int | None) -> bool:
        return instant is not None and self.start <= instant < self.end


def stopped_in(clock: ClockState | None, window: Window) -> bool:
    return clock is not None and clock.state in ("met", "breached") and window.holds(clock.stopped_at)


def resolution_is_open(ticket: TicketAtEnd) -> bool:
    """Whether the ticket counts as open at END: its resolution clock is not stopped."""
    resolution = ticket.clocks.get("resolution")
    return resolution is not None and resolution.stopped_at is None


@dataclass
class Tally:
    """What a measure found: exact value, the counts behind it, optional per-team figures."""

    value: Fraction | int | None
    numerator: int | None
    denominator: int
    by_team: dict[str, dict[str, Any]] | None = None


class Measure:
    """Base of every measure. Subclasses define ``counts``, ``add`` (returns whether the ticket went
    into the numerator) and ``tally``."""

    name: str = ""
    unit: str = "ratio"

    def __init__(self, window: Window, keep_tickets: bool = False, scores: Mapping[str, Fraction] | None = None):
        self.window = window
        self.keep_tickets = keep_tickets
        self.scores = scores or {}
        self.numerator_tickets: list[str] = []
        self.denominator_tickets: list[str] = []

    def counts(self, ticket: TicketAtEnd) -> bool:
        raise NotImplementedError

    def add(self, ticket: TicketAtEnd) -> bool:
        raise NotImplementedError

    def tally(self) -> Tally:
        raise NotImplementedError

    def feed(self, ticket: TicketAtEnd) -> None:
        in_numerator = self.add(ticket)
        if self.keep_tickets:
            self.denominator_tickets.append(ticket.ticket)
            if in_numerator:
                self.numerator_tickets.append(ticket.ticket)


class RatioMeasure(Measure):
    """numerator / denominator over tickets; null when the denominator is 0."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.hits = 0
        self.total = 0

    def add(self, ticket: TicketAtEnd) -> bool:
        hit = self.is_hit(ticket)
        self.total += 1
        self.hits += hit
        return hit

    def is_hit(self, ticket: TicketAtEnd) -> bool:
        raise NotImplementedError

    def tally(self) -> Tally:
        value = Fraction(self.hits, self.total) if self.total else None
        return Tally(value, self.hits, self.total)


class ClockMetRatio(RatioMeasure):
    """met / (met + breached) of one clock, over clocks stopped in the period."""

    clock = ""

    def counts(self, ticket: TicketAtEnd) -> bool:
        return stopped_in(ticket.clocks.get(self.clock), self.window)

    def is_hit(self, ticket: TicketAtEnd) -> bool:
        return ticket.clocks[self.clock].state == "met"


class ResponseMetRatio(ClockMetRatio):
    name = "response_met_ratio"
    clock = "response"


class ResolutionMetRatio(ClockMetRatio):
    name = "resolution_met_ratio"
    clock = "resolution"


class ResolvedInPeriodRatio(RatioMeasure):
    """A share among tickets whose resolution clock stopped in the period."""

    def counts(self, ticket: TicketAtEnd) -> bool:
        return stopped_in(ticket.clocks.get("resolution"), self.window)


class FirstContactResolutionRatio(ResolvedInPeriodRatio):
    name = "first_contact_resolution_ratio"

    def is_hit(self, ticket: TicketAtEnd) -> bool:
        return not ticket.facts.assigned and ticket.facts.reopen_count == 0


class ReopenRatio(ResolvedInPeriodRatio):
    name = "reopen_ratio"

    def is_hit(self, ticket: TicketAtEnd) -> bool:
        return ticket.facts.reopen_count > 0


class Backlog(Measure):
    """Tickets open at END (resolution clock not stopped); value is their count."""

    name = "backlog"
    unit = "tickets"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.ages: list[int] = []

    def counts(self, ticket: TicketAtEnd) -> bool:
        return resolution_is_open(ticket)

    def add(self, ticket: TicketAtEnd) -> bool:
        self.ages.append(ticket.end - ticket.facts.created_at)
        return True

    def tally(self) -> Tally:
        return Tally(len(self.ages), len(self.ages), len(self.ages))


class BacklogAgeP90(Backlog):
    """90th percentile (nearest rank) of the wall-clock age at END of the open tickets, in seconds."""

    name = "backlog_age_p90_s"
    unit = "seconds"

    def tally(self) -> Tally:
        return Tally(nearest_rank(self.ages, Fraction(9, 10)), None, len(self.ages))


class ResolutionBusinessTime(Measure):
    """Resolution elapsed_s (business seconds) of tickets whose resolution clock stopped in the period."""

    unit = "seconds"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.elapsed: list[int] = []

    def counts(self, ticket: TicketAtEnd) -> bool:
        return stopped_in(ticket.clocks.get("resolution"), self.window)

    def add(self, ticket: TicketAtEnd) -> bool:
        self.elapsed.append(ticket.clocks["resolution"].elapsed_s)
        return True


class MeanResolutionBusiness(ResolutionBusinessTime):
    name = "mean_resolution_business_s"

    def tally(self) -> Tally:
        total = sum(self.elapsed)
        value = Fraction(total, len(self.elapsed)) if self.elapsed else None
        return Tally(value, total, len(self.elapsed))


class P90ResolutionBusiness(ResolutionBusinessTime):
    name = "p90_resolution_business_s"

    def tally(self) -> Tally:
        return Tally(nearest_rank(self.elapsed, Fraction(9, 10)), None, len(self.elapsed))


class OlaMetRatio(Measure):
    """met / (met + breached) over every OLA clock ("ola:<team>") stopped in the period, with per-team
    figures. A ticket goes into the numerator list when all its OLA clocks in the period were met."""

    name = "ola_met_ratio"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.per_team: dict[str, list[int]] = {}  # team -> [met, total]

    def _ola_clocks(self, ticket: TicketAtEnd) -> list[tuple[str, ClockState]]:
        return [
            (name.removeprefix(OLA_PREFIX), clock)
            for name, clock in ticket.clocks.items()
            if name.startswith(OLA_PREFIX) and stopped_in(clock, self.window)
        ]

    def counts(self, ticket: TicketAtEnd) -> bool:
        return bool(self._ola_clocks(ticket))

    def add(self, ticket: TicketAtEnd) -> bool:
        all_met = True
        for team, clock in self._ola_clocks(ticket):
            figures = self.per_team.setdefault(team, [0, 0])
            figures[0] += clock.state == "met"
            figures[1] += 1
            all_met = all_met and clock.state == "met"
        return all_met

    def tally(self) -> Tally:
        met = sum(figures[0] for figures in self.per_team.values())
        total = sum(figures[1] for figures in self.per_team.values())
        by_team = {
            team: team_figures(Fraction(hits, count), hits, count)
            for team, (hits, count) in sorted(self.per_team.items())
        }
        return Tally(Fraction(met, total) if total else None, met, total, by_team)


class VendorTimeShare(Measure):
    """Share of the resolution business time (of tickets whose resolution clock stopped in the period)
    spent while a vendor team held the ticket. Each running stretch of the clock is attributed to the
    team holding the ticket then; per-team shares are given for every team."""

    name = "vendor_time_share"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.seconds_by_team: dict[str, int] = {}
        self.vendors: frozenset[str] = frozenset()

    def counts(self, ticket: TicketAtEnd) -> bool:
        return stopped_in(ticket.clocks.get("resolution"), self.window)

    def add(self, ticket: TicketAtEnd) -> bool:
        self.vendors = vendor_teams(ticket.contract)
        running = running_intervals(ticket)
        seconds = attribute_to_teams(running, ticket.facts.teams)
        for team, share in seconds.items():
            self.seconds_by_team[team] = self.seconds_by_team.get(team, 0) + share
        return any(seconds.get(team, 0) for team in self.vendors)

    def tally(self) -> Tally:
        total = sum(self.seconds_by_team.values())
        vendor = sum(seconds for team, seconds in self.seconds_by_team.items() if team in self.vendors)
        by_team = {
            team: team_figures(Fraction(seconds, total), seconds, total)
            for team, seconds in sorted(self.seconds_by_team.items())
        }
        return Tally(Fraction(vendor, total) if total else None, vendor, total, by_team)


class SatisfactionScore(Measure):
    """Mean survey score of tickets whose resolution clock stopped in the period and that have a score;
    null while no scores are given."""

    name = "satisfaction_score"
    unit = "score"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.total = Fraction(0)
        self.count = 0

    def counts(self, ticket: TicketAtEnd) -> bool:
        return ticket.ticket in self.scores and stopped_in(ticket.clocks.get("resolution"), self.window)

    def add(self, ticket: TicketAtEnd) -> bool:
        self.total += Fraction(self.scores[ticket.ticket])
        self.count += 1
        return True

    def tally(self) -> Tally:
        return Tally(self.total / self.count if self.count else None, None, self.count)


MEASURE_TYPES: dict[str, type[Measure]] = {
    kind.name: kind
    for kind in (
        ResponseMetRatio,
        ResolutionMetRatio,
        FirstContactResolutionRatio,
        ReopenRatio,
        Backlog,
        BacklogAgeP90,
        MeanResolutionBusiness,
        P90ResolutionBusiness,
        OlaMetRatio,
        VendorTimeShare,
        SatisfactionScore,
    )
}


def nearest_rank(values: list[int], quantile: Fraction) -> int | None:
    """The smallest value with at least ``quantile`` of the values at or below it (nearest-rank method)."""
    if not values:
        return None
    rank = math.ceil(quantile * len(values))
    return sorted(values)[max(rank, 1) - 1]


def team_figures(value: Fraction, numerator: int, denominator: int) -> dict[str, Any]:
    return {"value": json_number(value), "numerator": numerator, "denominator": denominator}


def vendor_teams(contract: Contract) -> frozenset[str]:
    """Teams whose time counts as vendor time: the contract's vendors and its underpinning-contract teams."""
    underpinning = {team for team, ola in (getattr(contract, "olas", None) or {}).items() if ola.underpinning}
    return frozenset(getattr(contract, "vendors", None) or ()) | underpinning


def running_intervals(ticket: TicketAtEnd) -> list[tuple[int, int]]:
    """The resolution clock's running stretches inside business hours, from the clock's explanation."""
    segments = ticket.explain("resolution")
    return [(segment.start, segment.end) for segment in segments if segment.kind == "running"]


def attribute_to_teams(intervals: Iterable[tuple[int, int]], teams: Sequence[tuple[int, str | None]]) -> dict[str, int]:
    """Seconds of ``intervals`` per team, given the team history ``(since, team)`` sorted by instant.
    Time before the first team, and after an `unassigned` event (team None), is attributed to UNASSIGNED_TEAM."""
    held = ((since, team or UNASSIGNED_TEAM) for since, team in sorted(teams, key=lambda entry: entry[0]))
    history = [(-(2**62), UNASSIGNED_TEAM), *held]
    seconds: dict[str, int] = {}
    for start, end in intervals:
        for index, (since, team) in enumerate(history):
            until = history[index + 1][0] if index + 1 < len(history) else 2**62
            overlap = min(end, until) - max(start, since)
            if overlap > 0:
                seconds[team] = seconds.get(team, 0) + overlap
    return seconds


def excluded_by(definition: MeasureDef, ticket: TicketAtEnd) -> list[str]:
    """The exclusion rules of ``definition`` that match ``ticket``, each as ``field=value``."""
    rules = []
    for field_name, values in definition.exclude.items():
        if field_name not in EXCLUDABLE_FIELDS:
            raise ValueError(
                f"measure {definition.id!r}: exclude key {field_name!r} is not one of {', '.join(EXCLUDABLE_FIELDS)}"
            )
        actual = getattr(ticket.facts, field_name)
        if actual is not None and actual in values:
            rules.append(f"{field_name}={actual}")
    return rules


def is_met(value: Fraction | int | None, op: str, target: Fraction) -> bool | None:
    """Compares the exact value with the target; None when there was nothing to count."""
    if value is None:
        return None
    return COMPARISONS[op](Fraction(value), target)


def round_half_up(value: Fraction, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero, computed on the exact fraction."""
    scaled = abs(value) * 10**places
    whole = math.floor(scaled)
    rounded = whole + (1 if scaled - whole >= Fraction(1, 2) else 0)
    return Decimal(rounded if value >= 0 else -rounded).scaleb(-places)


def json_number(value: Fraction | int | None, places: int = 4) -> int | float | None:
    """A value as printed in reports: ints stay ints, fractions are rounded half-up to ``places``."""
    if value is None or isinstance(value, int):
        return value
    if value.denominator == 1:
        return int(value)
    return float(round_half_up(value, places))


def decimal_text(value: Fraction) -> str:
    """The exact decimal text of a fraction that came from decimal text (0.95 -> "0.95")."""
    if value.denominator == 1:
        return str(value.numerator)
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
        if places > 30:  # not a terminating decimal: print enough digits to recognise it
            return str(round_half_up(value, 30).normalize())
    return str(Decimal(int(value * 10**places)).scaleb(-places))


@dataclass
class MeasureOutcome:
    """A measure of a report: its definition's fields, what was found, and the tickets it left out."""

    id: str
    measure: str
    tally: Tally
    target: str | None
    met: bool | None
    baseline: Fraction | None
    excluded: dict[str, list[str]] = field(default_factory=dict)  # rule -> tickets
    numerator_tickets: list[str] = field(default_factory=list)
    denominator_tickets: list[str] = field(default_factory=list)
    places: int = 4  # decimals of the printed value (availability has 6)
    # availability: its figures in seconds and the outages it counted (sla/availability.py)
    availability: dict[str, Any] | None = None

    def spec_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "measure": self.measure,
            "value": json_number(self.tally.value, self.places),
            "numerator": self.tally.numerator,
            "denominator": self.tally.denominator,
            "target": self.target,
            "met": self.met,
            "baseline": json_number(self.baseline),
        }
