"""The dashboards' charts: each count a bar that opens the queue behind it, each level a line against its target."""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from servicepact.dashboards.queries import CustomerDashboard, LeadDashboard, TeamHealth
from servicepact.desk.models import Status
from servicepact.slm.explain import CLOCK_NAMES
from servicepact.slm.reporting.charts import Point, Series, bar_chart

# Priorities from the most urgent: red to grey. Further priorities take the palette's colours.
PRIORITY_COLOURS = {"P1": "#cf222e", "P2": "#d55e00", "P3": "#0b5cad", "P4": "#6e7781", "P5": "#a0a7b0"}
STATUS_COLOURS = {
    Status.NEW: "#cf222e",
    Status.ASSIGNED: "#d55e00",
    Status.IN_PROGRESS: "#0b5cad",
    Status.PENDING_CUSTOMER: "#8250df",
    Status.PENDING_VENDOR: "#b8860b",
    Status.PENDING_PROBLEM: "#6e7781",
}
# Chart widths in the picture's units, about the pixels of the column each fills on a laptop, so their text reads
# at its own size: beside the figure tiles, and in half a page.
WIDE, HALF = 720, 560
CLOCK_COLOURS = {"response": "#d55e00", "resolution": "#cf222e", "update": "#b8860b"}


def queue_url(key: str, **filters: str) -> str:
    """The queue ``key`` filtered as its filter bar would send it."""
    query = urlencode({name: value for name, value in filters.items() if value})
    return reverse("desk:queue", args=[key]) + (f"?{query}" if query else "")


def team_chart(health: TeamHealth, priorities: list[str]) -> SafeString:
    """Open tickets of a team by priority, stacked by status; each bar opens the queue so filtered."""
    statuses = [status for status in STATUS_COLOURS if any(health.by_priority[p][status] for p in priorities)]
    series = [
        Series(
            str(Status(status).label),
            [Point(priority, health.by_priority[priority][status]) for priority in priorities],
            STATUS_COLOURS[status],
            [queue_url(health.queue, priority=priority, status=status) for priority in priorities],
        )
        for status in statuses
    ]
    title = _("Open tickets of %(team)s by priority and status") % {"team": health.team.name}
    return bar_chart(priorities, series, title=title, horizontal=True, width=WIDE)


def breaches_chart(dashboard: LeadDashboard) -> SafeString:
    days = list(dashboard.breaches_by_day)
    clocks = sorted({clock for counts in dashboard.breaches_by_day.values() for clock in counts})
    series = [
        Series(
            str(CLOCK_NAMES.get(clock, clock)),
            [Point(day, dashboard.breaches_by_day[day][clock]) for day in days],
            CLOCK_COLOURS.get(clock, ""),
        )
        for clock in clocks
    ]
    labels = [dateformat.format(date.fromisoformat(day), "D m-d") for day in days]
    return bar_chart(labels, series, title=_("Clocks breached this week, by day and clock"), width=HALF)


def people_chart(dashboard: LeadDashboard) -> SafeString:
    loads = [load for load in dashboard.people if load.open] or dashboard.people
    priorities = sorted({priority for load in loads for priority in load.by_priority}) or ["P1"]
    names = [load.person.full_name or load.person.email for load in loads]
    series = [
        Series(
            priority,
            [Point(name, load.by_priority[priority]) for name, load in zip(names, loads)],
            PRIORITY_COLOURS.get(priority, ""),
            [queue_url("all", assignee=load.person.email, priority=priority) for load in loads],
        )
        for priority in priorities
    ]
    return bar_chart(names, series, title=_("Open tickets per person, by priority"), horizontal=True, width=HALF)


def shifts_chart(dashboard: LeadDashboard) -> SafeString:
    teams = {shift.pattern.team_id for shift in dashboard.shifts}
    names = [
        shift.pattern.name if len(teams) == 1 else f"{shift.pattern.name} · {shift.pattern.team.name}"
        for shift in dashboard.shifts
    ]
    series = [
        Series(_("open tickets held"), [Point(name, shift.open) for name, shift in zip(names, dashboard.shifts)]),
        Series(
            _("of them breached"),
            [Point(name, shift.breached) for name, shift in zip(names, dashboard.shifts)],
            "#cf222e",
        ),
    ]
    return bar_chart(
        names, series, title=_("Open tickets held by each shift's people"), stacked=False, horizontal=True, width=HALF
    )


def weeks_chart(dashboard: CustomerDashboard) -> SafeString:
    labels = [label for label, _opened, _resolved in dashboard.weeks]
    series = [
        Series(_("opened"), [Point(label, opened) for label, opened, _r in dashboard.weeks], "#0b5cad"),
        Series(_("resolved"), [Point(label, resolved) for label, _o, resolved in dashboard.weeks], "#1a7f37"),
    ]
    return bar_chart(labels, series, title=_("Tickets opened and resolved per week"), stacked=False, width=WIDE)


def credits_chart(levels) -> SafeString:
    months = levels.credits
    labels = [month.report.period_label for month in months]
    currency = next((month.currency for month in months if month.currency), "")
    series = [
        Series(
            _("service credit (%(currency)s)") % {"currency": currency} if currency else _("service credit"),
            [Point(month.report.period_label, float(month.amount)) for month in months],
            "#8250df",
            [month.report.get_absolute_url() for month in months],
        )
    ]
    return bar_chart(
        labels, series, title=_("Service credits per month"), show=lambda value: f"{value:,.2f}", width=HALF
    )
