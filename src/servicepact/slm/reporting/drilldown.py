"""The tickets behind one measure of a report, a page at a time.

A month's measure can count a thousand tickets; the page shows ``PAGE_SIZE`` of them (or all when asked),
filtered to the hits or the misses, and says how many there are in all. The XLSX download lists every
one of them, whatever the page shows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from servicepact.desk.models import Ticket
from servicepact.slm.reporting.analysis import PeriodAnalysis

PAGE_SIZE = 100
# Which counted tickets to list: every one, those counted as hits, or those counted in the denominator only.
SHOWN = ("all", "numerator", "denominator")
# The clock each ratio measure is decided by; every other measure is about resolution.
CLOCK_OF_MEASURE = {"response_met_ratio": "response"}


def ticket_titles(visible: QuerySet[Ticket], numbers: Iterable[str]) -> dict[str, str]:
    """Number -> title of the tickets ``numbers`` among ``visible`` (the reader's, from the access layer).
    The numbers are looked up by their unique index first: filtered by the access layer's tenant columns
    alone, SQLite would read every ticket of the tenant to find a page of them."""
    chosen = Ticket.objects.filter(number__in=list(numbers)).values("pk")
    return dict(visible.filter(pk__in=chosen).order_by().values_list("number", "title"))


@dataclass
class ExcludedGroup:
    rule: str
    tickets: list[dict[str, str]]
    count: int


@dataclass
class Drilldown:
    measure_id: str
    detail: dict[str, Any]
    clock_name: str
    shown: str
    show_all: bool
    counted: int
    hits: int
    page: Page
    rows: list[dict[str, Any]]
    excluded: list[ExcludedGroup]

    @property
    def misses(self) -> int:
        return self.counted - self.hits

    @property
    def listed(self) -> int:
        """How many tickets the current filter lists over all pages."""
        return self.page.paginator.count


def drilldown(
    analysis: PeriodAnalysis,
    measure_id: str,
    *,
    shown: str = "all",
    show_all: bool = False,
    page_number: str | int | None = None,
    titles_of: Callable[[Iterable[str]], dict[str, str]] = lambda numbers: {},
) -> Drilldown:
    """The page of ``measure_id``'s tickets; ``titles_of`` looks up the titles of only the tickets shown.

    Raises KeyError naming the measure when the report has no such measure.
    """
    detail = analysis.details[measure_id]
    shown = shown if shown in SHOWN else "all"
    numerator = set(detail["numerator_tickets"])
    counted = detail["denominator_tickets"]
    if shown == "all":
        listed = counted
    else:
        listed = [number for number in counted if (number in numerator) == (shown == "numerator")]
    per_page = max(len(listed), 1) if show_all else PAGE_SIZE
    page = Paginator(listed, per_page).get_page(page_number)
    excluded = {rule: tickets if show_all else tickets[:PAGE_SIZE] for rule, tickets in detail["excluded"].items()}
    titles = titles_of({*page.object_list, *(number for tickets in excluded.values() for number in tickets)})
    clock = CLOCK_OF_MEASURE.get(detail["measure"], "resolution")
    rows = [
        {
            "ticket": number,
            "title": titles.get(number, ""),
            "hit": number in numerator,
            "clock": analysis.clocks.get(number, {}).get(clock),
        }
        for number in page.object_list
    ]
    groups = [
        ExcludedGroup(
            rule,
            [{"ticket": number, "title": titles.get(number, "")} for number in tickets],
            len(detail["excluded"][rule]),
        )
        for rule, tickets in excluded.items()
    ]
    hits = analysis.hits[measure_id] if analysis.hits is not None else len(numerator & set(counted))
    return Drilldown(measure_id, detail, clock, shown, show_all, len(counted), hits, page, rows, groups)
