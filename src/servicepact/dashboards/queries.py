"""The figures of the two dashboards, read through the access layer from the desk's tickets, the live clocks,
the shift rosters, the stored reports and the major incidents. Counting is done by the database; the
stored reports are read as they were stored, never recomputed."""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from servicepact.accounts.models import Team, User
from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import Contract
from servicepact.desk.models import Status, Ticket
from servicepact.major_incidents.models import MajorIncident, MajorStatus
from servicepact.permissions import report_clock_sight
from servicepact.permissions.dashboards import led_teams
from servicepact.rosters.models import RosterEntry, ShiftPattern
from servicepact.rosters.schedule import shifts_at
from servicepact.sla.measures import decimal_text
from servicepact.slm.models import ClockState, ClockStateKind, ReportKind, ReportScope, StoredReport
from servicepact.slm.reporting.presentation import MeasureRow, layout
from servicepact.slm.reporting.trends import Trend, latest_reports, trends

DUE_HOURS = 8
DUE_SHOWN = 25
BREACHES_SHOWN = 12
WEEKS_SHOWN = 12
MONTHS_SHOWN = 12
OPEN_STATUSES = [status for status in Status.values if status not in (Status.RESOLVED, Status.CLOSED)]
# The measures whose figure so far this week and month the live clocks give: the clock each counts.
LIVE_CLOCK_OF_MEASURE = {"response_met_ratio": "response", "resolution_met_ratio": "resolution"}
# A measure's exclusions by ticket field, as the live count applies them.
# Measures whose values are shares, read as percentages (beside every ``*_ratio``).
RATIO_MEASURES = ("availability", "vendor_time_share")
EXCLUDED_FIELD = {
    "category": "ticket__category__in",
    "priority": "ticket__priority__in",
    "service": "ticket__service__key__in",
}


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of the current week in the active (viewer's) time zone."""
    local = timezone.localtime(now)
    return (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


def month_start(now: datetime) -> datetime:
    return timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def queue_key(team: Team) -> str:
    return "triage" if team.is_service_desk else f"team-{team.slug}"


# -- a team lead's ---------------------------------------------------------------------------------------------


@dataclass
class TeamHealth:
    team: Team
    open: int = 0
    unassigned: int = 0
    breached: int = 0
    oldest: Ticket | None = None
    # priority -> status -> open tickets
    by_priority: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def queue(self) -> str:
        return queue_key(self.team)


@dataclass
class PersonLoad:
    person: User
    by_priority: Counter = field(default_factory=Counter)
    breached: int = 0

    @property
    def open(self) -> int:
        return sum(self.by_priority.values())


@dataclass
class ShiftLoad:
    pattern: ShiftPattern
    people: list[User]
    on_shift: list[User]  # those of them on this shift right now (its running shift's people)
    running: bool
    open: int  # open tickets held by the people rostered on it this week
    breached: int


@dataclass
class LeadDashboard:
    teams: list[TeamHealth]
    priorities: list[str]
    due: list[ClockState]
    due_until: datetime
    breaches: list[ClockState]
    breaches_by_day: dict[str, Counter]  # local date -> clock -> breaches
    breach_count: int
    people: list[PersonLoad]
    shifts: list[ShiftLoad]
    week_from: datetime


def lead_dashboard(user, now: datetime) -> LeadDashboard:
    teams = list(led_teams(user))
    team_ids = [team.pk for team in teams]
    tickets = Ticket.objects.visible_to(user)
    open_tickets = tickets.open().filter(team_id__in=team_ids)
    health = {team.pk: TeamHealth(team) for team in teams}
    priorities: set[str] = set()
    for row in open_tickets.values("team_id", "priority", "status").annotate(count=Count("pk")):
        health[row["team_id"]].by_priority[row["priority"]][row["status"]] += row["count"]
        priorities.add(row["priority"])
    counts = open_tickets.values("team_id").annotate(
        open=Count("pk"),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        breached=Count("pk", filter=Q(breached=True)),
    )
    for row in counts:
        entry = health[row["team_id"]]
        entry.open, entry.unassigned, entry.breached = row["open"], row["unassigned"], row["breached"]
    for entry in health.values():
        if entry.open:
            entry.oldest = open_tickets.filter(team=entry.team).order_by("created_at", "pk").first()

    clocks = ClockState.objects.visible_to(user).filter(Q(ticket__team_id__in=team_ids) | Q(team_id__in=team_ids))
    due_until = now + timedelta(hours=DUE_HOURS)
    due = list(
        clocks.filter(state=ClockStateKind.RUNNING, due_at__gte=now, due_at__lt=due_until)
        .exclude(ticket__status__in=(Status.RESOLVED, Status.CLOSED))
        .select_related("ticket", "ticket__team", "ticket__assignee")
        .order_by("due_at", "pk")[:DUE_SHOWN]
    )
    monday = week_start(now)
    breached = clocks.filter(breached_at__gte=monday, breached_at__lte=now)
    by_day: dict[str, Counter] = {
        (monday + timedelta(days=offset)).date().isoformat(): Counter() for offset in range(7)
    }
    breach_count = 0
    for clock, at in breached.values_list("clock", "breached_at"):
        by_day.setdefault(timezone.localtime(at).date().isoformat(), Counter())[clock] += 1
        breach_count += 1
    breaches = list(
        breached.select_related("ticket", "ticket__team", "ticket__assignee").order_by("-breached_at", "-pk")[
            :BREACHES_SHOWN
        ]
    )
    people = _people_loads(user, teams, tickets)
    return LeadDashboard(
        teams=list(health.values()),
        priorities=sorted(priorities),
        due=due,
        due_until=due_until,
        breaches=breaches,
        breaches_by_day=by_day,
        breach_count=breach_count,
        people=people,
        shifts=_shift_loads(user, teams, people, now),
        week_from=monday,
    )


def _people_loads(user, teams: list[Team], tickets) -> list[PersonLoad]:
    """Every member of the teams, with the open tickets assigned to them (in any queue the lead sees)."""
    members = (
        User.objects.visible_to(user)
        .filter(memberships__team__in=teams, memberships__organization_id=user.organization_id, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )
    loads = {person.pk: PersonLoad(person) for person in members}
    held = tickets.open().filter(assignee_id__in=list(loads))
    for row in held.values("assignee_id", "priority").annotate(
        count=Count("pk"), breached=Count("pk", filter=Q(breached=True))
    ):
        load = loads[row["assignee_id"]]
        load.by_priority[row["priority"]] += row["count"]
        load.breached += row["breached"]
    return sorted(loads.values(), key=lambda load: (-load.open, load.person.full_name or load.person.email))


def _shift_loads(user, teams: list[Team], people: list[PersonLoad], now: datetime) -> list[ShiftLoad]:
    patterns = list(ShiftPattern.objects.visible_to(user).filter(team__in=teams).select_related("team"))
    if not patterns:
        return []
    loads = {load.person.pk: load for load in people}
    running = {
        shift.pattern.pk: shift
        for shift in shifts_at(now, ShiftPattern.objects.visible_to(user).filter(pk__in=[p.pk for p in patterns]))
    }
    rostered: dict[int, list[User]] = defaultdict(list)
    for pattern in patterns:
        local = timezone.localtime(now, timezone=_zone(pattern.team.timezone)).date()
        monday = local - timedelta(days=local.weekday())
        entries = RosterEntry.objects.visible_to(user).filter(pattern=pattern, week=monday).select_related("person")
        rostered[pattern.pk] = [entry.person for entry in entries if entry.person.is_active]
    shifts = []
    for pattern in patterns:
        crew = rostered[pattern.pk]
        shift = running.get(pattern.pk)
        held = [loads[person.pk] for person in crew if person.pk in loads]
        shifts.append(
            ShiftLoad(
                pattern=pattern,
                people=crew,
                on_shift=shift.people if shift else [],
                running=shift is not None,
                open=sum(load.open for load in held),
                breached=sum(load.breached for load in held),
            )
        )
    return shifts


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


# -- a customer manager's --------------------------------------------------------------------------------------


@dataclass
class MeasureState:
    """One measure of a contract: this week's and this month's live figure (where the live clocks give it)
    and the latest stored weekly and monthly reports' figures."""

    id: str
    measure: str
    target: str
    week_live: float | None = None
    week_counted: int = 0
    month_live: float | None = None
    month_counted: int = 0
    last_week: MeasureRow | None = None
    last_week_report: StoredReport | None = None
    last_month: MeasureRow | None = None
    last_month_report: StoredReport | None = None
    threshold: float | None = None

    @property
    def live(self) -> bool:
        return self.measure in LIVE_CLOCK_OF_MEASURE

    def meets(self, value: float | None) -> bool | None:
        if value is None or self.threshold is None:
            return None
        return value >= self.threshold

    @property
    def week_met(self) -> bool | None:
        return self.meets(self.week_live)

    @property
    def month_met(self) -> bool | None:
        return self.meets(self.month_live)


@dataclass
class CreditMonth:
    report: StoredReport
    amount: Decimal
    percent: Decimal
    currency: str


@dataclass
class ContractLevels:
    contract: Contract
    measures: list[MeasureState]
    trends: list[Trend]
    credits: list[CreditMonth]  # oldest first

    @property
    def credited(self) -> dict[str, Decimal]:
        total: dict[str, Decimal] = {}
        for month in self.credits:
            if month.currency:
                total[month.currency] = total.get(month.currency, Decimal(0)) + month.amount
        return total


@dataclass
class CustomerDashboard:
    open: int
    breached: int
    opened_month: int
    resolved_month: int
    open_by_priority: dict[str, int]
    weeks: list[tuple[str, int, int]]  # week label, opened, resolved
    contracts: list[ContractLevels]
    majors: list[MajorIncident]
    recent_majors: list[MajorIncident]
    week_from: datetime
    month_from: datetime

    @property
    def credited(self) -> dict[str, Decimal]:
        total: dict[str, Decimal] = {}
        for levels in self.contracts:
            for currency, amount in levels.credited.items():
                total[currency] = total.get(currency, Decimal(0)) + amount
        return total


def customer_dashboard(user, now: datetime) -> CustomerDashboard:
    organization = user.organization_id
    own = Ticket.objects.visible_to(user).filter(customer_id=organization)
    monday, first = week_start(now), month_start(now)
    counts = own.aggregate(
        open=Count("pk", filter=~Q(status__in=(Status.RESOLVED, Status.CLOSED))),
        breached=Count("pk", filter=~Q(status__in=(Status.RESOLVED, Status.CLOSED)) & Q(breached=True)),
        opened=Count("pk", filter=Q(created_at__gte=first)),
        resolved=Count("pk", filter=Q(resolved_at__gte=first)),
    )
    by_priority = dict(own.open().values_list("priority").annotate(count=Count("pk")).order_by("priority"))
    contracts = Contract.objects.visible_to(user).filter(customer_id=organization).order_by("slug")
    majors = MajorIncident.objects.visible_to(user).filter(contract__customer_id=organization)
    return CustomerDashboard(
        open=counts["open"],
        breached=counts["breached"],
        opened_month=counts["opened"],
        resolved_month=counts["resolved"],
        open_by_priority=by_priority,
        weeks=_weeks(own, monday),
        contracts=[_levels(user, contract, monday, first) for contract in contracts],
        majors=list(majors.filter(status=MajorStatus.ACTIVE).select_related("contract").order_by("-started_at")),
        recent_majors=list(
            majors.exclude(status=MajorStatus.ACTIVE)
            .filter(resolved_at__gte=now - timedelta(days=90))
            .select_related("contract")
            .order_by("-started_at")[:5]
        ),
        week_from=monday,
        month_from=first,
    )


def _weeks(own, monday: datetime) -> list[tuple[str, int, int]]:
    """Tickets opened and resolved in each of the last weeks (the current one last), by the viewer's weeks."""
    since = monday - timedelta(weeks=WEEKS_SHOWN - 1)
    starts = [since + timedelta(weeks=offset) for offset in range(WEEKS_SHOWN)]
    opened, resolved = Counter(), Counter()

    def week_of(at: datetime) -> int:
        return (timezone.localtime(at) - since).days // 7

    for at in own.filter(created_at__gte=since).values_list("created_at", flat=True):
        opened[week_of(at)] += 1
    for at in own.filter(resolved_at__gte=since).values_list("resolved_at", flat=True):
        resolved[week_of(at)] += 1
    labels = []
    for index, start in enumerate(starts):
        year, week, _day = start.isocalendar()
        labels.append((f"{year}-W{week:02d}", opened[index], resolved[index]))
    return labels


def _latest(user, contract: Contract, kind: str) -> StoredReport | None:
    return (
        StoredReport.objects.visible_to(user)
        .filter(contract=contract, kind=kind, scope=ReportScope.CONTRACT, restated_by__isnull=True)
        .select_related("contract", "contract_version")
        .order_by("-period_start")
        .first()
    )


def _levels(user, contract: Contract, monday: datetime, first: datetime) -> ContractLevels:
    weekly, monthly = _latest(user, contract, ReportKind.WEEKLY), _latest(user, contract, ReportKind.MONTHLY)
    newest = max((report for report in (weekly, monthly) if report), key=lambda r: r.period_end, default=None)
    states: dict[str, MeasureState] = {}
    if newest is not None:
        terms = kernel_contract(newest.contract_version)
        sight = report_clock_sight(user, newest)
        for measure in terms.measures:
            if not sight.shows_measure(measure.measure):
                continue
            ratio = measure.measure.endswith("_ratio") or measure.measure in RATIO_MEASURES
            threshold = float(measure.target.value) if measure.target.op.startswith(">") else None
            sign = {">=": "≥", "<=": "≤"}.get(measure.target.op, measure.target.op)
            if ratio:
                target = f"{sign} {float(measure.target.value) * 100:.{2 if measure.target.value > 0.99 else 1}f} %"
            else:
                target = f"{sign} {decimal_text(measure.target.value)}"
            states[measure.id] = MeasureState(measure.id, measure.measure, target, threshold=threshold)
            clock = LIVE_CLOCK_OF_MEASURE.get(measure.measure)
            if clock is not None:
                for since, attribute in ((monday, "week"), (first, "month")):
                    value, counted = _live_ratio(user, contract, clock, measure.exclude, since)
                    setattr(states[measure.id], f"{attribute}_live", value)
                    setattr(states[measure.id], f"{attribute}_counted", counted)
        for report, attribute in ((weekly, "last_week"), (monthly, "last_month")):
            if report is None:
                continue
            for row in layout(report, report_clock_sight(user, report)).measures:
                if row.id in states:
                    setattr(states[row.id], attribute, row)
                    setattr(states[row.id], f"{attribute}_report", report)
    history = [report for report in latest_reports(contract, ReportKind.MONTHLY, count=MONTHS_SHOWN)]
    readable = {report.pk for report in StoredReport.objects.visible_to(user).filter(pk__in=[r.pk for r in history])}
    history = [report for report in history if report.pk in readable]
    shown = trends(history, report_clock_sight(user, history[-1])) if history else []
    return ContractLevels(contract, list(states.values()), shown, [_credit(report) for report in history])


def _live_ratio(user, contract: Contract, clock: str, exclude: dict, since: datetime) -> tuple[float | None, int]:
    """Of ``clock``'s clocks of the contract stopped since ``since``, the share that met the target."""
    rows = ClockState.objects.visible_to(user).filter(
        ticket__contract=contract, clock=clock, state__in=(ClockStateKind.MET, ClockStateKind.BREACHED)
    )
    rows = rows.filter(stopped_at__gte=since)
    for name, values in exclude.items():
        if name in EXCLUDED_FIELD:
            rows = rows.exclude(**{EXCLUDED_FIELD[name]: list(values)})
    counted = rows.aggregate(all=Count("pk"), met=Count("pk", filter=Q(state=ClockStateKind.MET)))
    if not counted["all"]:
        return None, 0
    return counted["met"] / counted["all"], counted["all"]


def _credit(report: StoredReport) -> CreditMonth:
    credits = json.loads(report.body).get("credits") or {}
    return CreditMonth(
        report,
        Decimal(str(credits.get("amount", "0"))),
        Decimal(str(credits.get("total_percent", 0))),
        credits.get("currency", ""),
    )
