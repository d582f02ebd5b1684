"""The agents' workspace: queues in the left nav, a ticket list sorted by due time, search and filters."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError

from servicepact.accounts.models import Team
from servicepact.contracts.models import Contract, ContractVersion, Service, attach_terms
from servicepact.desk import filters as ticket_filters
from servicepact.desk.actions import saved_views
from servicepact.desk.eventlog import last_event_id
from servicepact.desk.forms import BulkForm
from servicepact.desk.models import Kind, SavedView, Status, Ticket
from servicepact.desk.queries import DEFAULT_SORT, SORT_FIELDS
from servicepact.permissions import TRIAGE_ROLES, principal_of
from servicepact.permissions.dashboards import dashboard_of, has_dashboard
from servicepact.permissions.declared import person_view, signed_in, works_tickets
from servicepact.refusals import ActionRefused
from servicepact.slm.explain import CLOCK_NAMES
from servicepact.slm.models import ClockState, ClockStateKind

PAGE_SIZE = 50
# How long the side navigation's counts and the priority choices are kept per person.
COUNTS_SECONDS = 30
PRIORITIES_SECONDS = 300
# Query parameters the filter bar sends; list-valued ones may repeat.
LIST_PARAMETERS = ("status", "priority")
SINGLE_PARAMETERS = ("q", "service", "assignee", "kind", "breached", "open")
# The queue's columns, in order: (sort key, heading).
COLUMNS = (
    ("number", gettext_lazy("Number")),
    ("priority", gettext_lazy("Pri.")),
    ("title", gettext_lazy("Title")),
    ("status", gettext_lazy("Status")),
    ("due", gettext_lazy("Due")),
    ("service", gettext_lazy("Service")),
    ("team", gettext_lazy("Team and assignee")),
)
OLA_PREFIX = "ola:"


@dataclass
class Column:
    key: str
    label: str
    url: str
    sorted: str  # "ascending", "descending" or "" (aria-sort's words)


@dataclass
class Queue:
    key: str
    label: str
    url: str
    open_count: int
    breached_count: int


def _queue_tickets(user, key: str, team: Team | None):
    tickets = Ticket.objects.visible_to(user)
    if key == "mine":
        return tickets.filter(assignee=user)
    if team is not None:
        return tickets.in_queue(team.pk)
    return tickets


def _person_teams(user) -> list[Team]:
    teams = Team.objects.visible_to(user).filter(pk__in=principal_of(user).team_ids)
    return list(teams.order_by("-is_service_desk", "name"))


def _triage_team(user, teams: list[Team]) -> Team | None:
    """The service desk queue: the person's own desk team, else, for those who triage, their provider's desk."""
    for team in teams:
        if team.is_service_desk:
            return team
    who = principal_of(user)
    if not who.has(*TRIAGE_ROLES):
        return None
    return Team.objects.visible_to(user).filter(is_service_desk=True, organization_id=who.organization_id).first()


def _queues(user, teams: list[Team], triage: Team | None) -> list[Queue]:
    entries: list[tuple[str, str, Team | None]] = []
    if triage is not None:
        entries.append(("triage", _("Triage"), triage))
    entries.append(("mine", _("My work"), None))
    entries += [(f"team-{team.slug}", team.name, team) for team in teams if team != triage]
    entries.append(("all", _("All visible"), None))
    counts = _queue_counts(user)
    queues = []
    for key, label, team in entries:
        if key == "mine":
            open_count, breached_count = counts["mine"]
        elif team is not None:
            open_count, breached_count = counts["teams"].get(team.pk, (0, 0))
        else:
            open_count, breached_count = counts["all"]
        queues.append(Queue(key, label, reverse("desk:queue", args=[key]), open_count, breached_count))
    return queues


def _queue_counts(user) -> dict:
    """Open and breached tickets per queue of the side navigation: the visible open tickets counted once,
    grouped by team, and the person's own (over the open tickets' index, never over all tickets).

    Kept until the next ticket event anywhere, and at most ``COUNTS_SECONDS`` (a clock that breaches
    between two events), so that paging through a quiet queue does not count again."""
    last_event = last_event_id()
    key = f"desk:queue-counts:{user.pk}:{last_event}"
    counts = cache.get(key)
    if counts is not None:
        return counts
    visible = Ticket.objects.visible_to(user).open()
    by_team = (
        visible.order_by()
        .values("team_id")
        .annotate(open=Count("pk", distinct=True), breached=Count("pk", filter=Q(breached=True), distinct=True))
    )
    teams = {row["team_id"]: (row["open"], row["breached"]) for row in by_team}
    mine = visible.filter(assignee=user).aggregate(
        open=Count("pk", distinct=True), breached=Count("pk", filter=Q(breached=True), distinct=True)
    )
    counts = {
        "teams": teams,
        "all": (sum(count for count, _ in teams.values()), sum(count for _, count in teams.values())),
        "mine": (mine["open"], mine["breached"]),
    }
    cache.set(key, counts, COUNTS_SECONDS)
    return counts


def _filters_from(request: HttpRequest) -> tuple[ticket_filters.TicketFilters, dict[str, list[str]]]:
    """The filter bar's values, validated by the shared filter model; errors come back per field."""
    # The filter bar's "any" choice sends an empty value: it filters nothing, as an absent parameter.
    chosen = {name: [value for value in request.GET.getlist(name) if value] for name in LIST_PARAMETERS}
    raw: dict = {name: values for name, values in chosen.items() if values}
    raw |= {name: request.GET[name] for name in SINGLE_PARAMETERS if request.GET.get(name)}
    raw.setdefault("open", "true")
    if raw["open"] == "any":
        del raw["open"]
    try:
        return ticket_filters.TicketFilters.model_validate(raw), {}
    except ValidationError as error:
        errors: dict[str, list[str]] = {}
        for problem in error.errors():
            errors.setdefault(str(problem["loc"][0]), []).append(problem["msg"])
        return ticket_filters.TicketFilters(open=True), errors


def _sort_from(request: HttpRequest) -> tuple[str, bool, dict[str, list[str]]]:
    """The ``sort`` parameter: a column key, "-" before it for descending; an unknown one is an error."""
    value = request.GET.get("sort", "") or DEFAULT_SORT
    key = value.removeprefix("-")
    if key not in SORT_FIELDS:
        message = _("No column '%(value)s' to sort by; choose one of %(keys)s.") % {
            "value": value,
            "keys": ", ".join(SORT_FIELDS),
        }
        return DEFAULT_SORT, False, {"sort": [message]}
    return key, value.startswith("-"), {}


def _columns(request: HttpRequest, url: str, key: str, descending: bool) -> list[Column]:
    """Each heading links to the same list sorted by its column; the sorted one's link reverses it."""
    columns = []
    for column, label in COLUMNS:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{column}" if column == key and not descending else column
        state = ("descending" if descending else "ascending") if column == key else ""
        columns.append(Column(column, str(label), f"{url}?{query.urlencode()}", state))
    return columns


def _attach_clocks(user, tickets: list[Ticket]) -> None:
    """Name the clock each ticket's due time belongs to, and the clocks it has breached (one query)."""
    by_ticket: dict[int, list[ClockState]] = {}
    rows = ClockState.objects.visible_to(user).filter(
        ticket__in=[ticket.pk for ticket in tickets], state__in=(ClockStateKind.RUNNING, ClockStateKind.BREACHED)
    )
    for row in rows.exclude(clock__startswith=OLA_PREFIX).order_by("ticket_id", "due_at"):
        by_ticket.setdefault(row.ticket_id, []).append(row)
    for ticket in tickets:
        rows = by_ticket.get(ticket.pk, [])
        due = next((row for row in rows if row.state == ClockStateKind.RUNNING and row.due_at == ticket.due_at), None)
        ticket.due_clock = str(CLOCK_NAMES.get(due.clock, due.clock)) if due else ""
        breached = [str(CLOCK_NAMES.get(row.clock, row.clock)) for row in rows if row.state == ClockStateKind.BREACHED]
        ticket.breached_clocks = ", ".join(breached)


def _priorities(user) -> list[str]:
    """The priorities of the contracts the person sees (their signed versions), kept a while: reading the
    distinct priorities of every visible ticket would read every ticket."""
    key = f"desk:priorities:{user.pk}"
    found = cache.get(key)
    if found is None:
        versions = (
            ContractVersion.objects.visible_to(user).signed().filter(contract__in=Contract.objects.visible_to(user))
        )
        found = sorted({priority for version in versions for priority in version.kernel().priorities})
        if not found:  # no contract in sight (a vendor's people): those of the few tickets they see
            found = sorted(set(Ticket.objects.visible_to(user).order_by().values_list("priority", flat=True)))
        cache.set(key, found, PRIORITIES_SECONDS)
    return found


def _filter_services(user, shown: Iterable[Service] = ()) -> list[Service]:
    """One choice per service key: the filter matches a key across the person's contracts.

    Names come from the versions in force, read once for these and for ``shown`` (the page's services).
    """
    by_key: dict[str, Service] = {}
    for service in Service.objects.visible_to(user).order_by("key", "pk"):
        by_key.setdefault(service.key, service)
    attach_terms([*by_key.values(), *shown])
    return sorted(by_key.values(), key=lambda service: service.name)


@person_view(signed_in)
def home(request: HttpRequest) -> HttpResponse:
    """Team leads and customer managers land on their dashboard, other staff on their triage or team queue,
    everybody else on the portal."""
    if has_dashboard(request.user):
        return redirect(dashboard_of(request.user))
    if works_tickets(request.user):
        return redirect("desk:queue", "triage")
    return redirect("desk:portal")


@person_view(works_tickets)
def queue(request: HttpRequest, key: str) -> HttpResponse:
    teams = _person_teams(request.user)
    triage = _triage_team(request.user, teams)
    queues = _queues(request.user, teams, triage)
    current = next((queue for queue in queues if queue.key == key), None)
    if current is None:
        if key == "triage":
            return redirect("desk:queue", "mine")
        raise Http404(key)
    team = triage if key == "triage" else next((t for t in teams if f"team-{t.slug}" == key), None)
    filters, errors = _filters_from(request)
    tickets = _queue_tickets(request.user, key, team)
    try:
        tickets = ticket_filters.apply(tickets, filters, request.user)
    except ActionRefused as refusal:
        errors |= refusal.errors
        tickets = tickets.none()
    sort, descending, sort_errors = _sort_from(request)
    errors |= sort_errors
    tickets = tickets.select_related("service", "team", "assignee").sorted_by(sort, descending)
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read once: the clocks are attached to these very rows
    _attach_clocks(request.user, page.object_list)
    context = {
        "queues": queues,
        "current": current,
        "page": page,
        "filters": filters,
        "filter_errors": errors,
        "statuses": Status.choices,
        "kinds": Kind.choices,
        "priorities": _priorities(request.user),
        "services": _filter_services(request.user, shown=[ticket.service for ticket in page]),
        "query": request.GET.copy(),
        "columns": _columns(request, current.url, sort, descending),
        "saved_views": SavedView.objects.visible_to(request.user).order_by("name"),
        "view_query": _view_query(request),
        "bulk_form": BulkForm(user=request.user),
        "sort": f"-{sort}" if descending else sort,
    }
    template = "desk/partials/ticket_table.html" if request.htmx and not request.htmx.boosted else "desk/queue.html"
    return render(request, template, context, status=422 if errors else 200)


def _view_query(request: HttpRequest) -> str:
    """The filters and sort of the page, as a saved view keeps them (never the page number)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@person_view(works_tickets, methods=("POST",))
def save_view(request: HttpRequest, key: str) -> HttpResponse:
    """Save the queue with the filters it was shown with under a name, or (``delete``) forget a view."""
    try:
        if request.POST.get("delete"):
            saved_views.delete_view(actor=request.user, name=request.POST["delete"])
            return redirect("desk:queue", key)
        view = saved_views.save_view(
            actor=request.user, name=request.POST.get("name", ""), queue=key, query=request.POST.get("query", "")
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(reverse("desk:queue", args=[key]) + "?" + request.POST.get("query", ""))
    messages.success(request, _("Saved as %(name)s.") % {"name": view.name})
    return redirect(view.get_absolute_url())
