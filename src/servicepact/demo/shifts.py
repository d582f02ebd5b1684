"""The demonstration's shifts and on-call: shift patterns and weekly rosters of Northwind's teams in Shanghai,
India, Prague and Dallas (the Americas' desk, which joins with its first roster) and of Globex security in Berlin, follow-the-sun from China to India for the contract's default
rule, an on-call rotation of application support India with its escalation policy, and a page that escalated at
night: nobody answered the person on call, the team lead was paged a quarter of an hour later and acknowledged.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password

from servicepact.accounts.models import Membership, Role, Team, User
from servicepact.demo import cast
from servicepact.desk.models import RoutingRule, Ticket
from servicepact.notify.actions import silenced
from servicepact.oncall import actions as oncall
from servicepact.oncall.escalation import run_due_step
from servicepact.oncall.models import Page
from servicepact.permissions import COUNTED_MEMBERSHIPS
from servicepact.rosters import actions as rosters

WEEKDAYS = [1, 2, 3, 4, 5]
# team, pattern name, start, end, holidays of (in the team's zone)
PATTERNS = [
    ("app-support-cn", "Afternoon", time(13), time(22), "CN"),
    ("app-support-in", "Evening", time(15, 30), time(0, 30), "IN"),
    ("northwind-desk", "Day", time(8), time(17), "CZ"),
    ("globex-security", "Office hours", time(8), time(18), "DE"),
    ("northwind-desk-us", "Americas day", time(7), time(16), "US"),
]
# The service desk of the Americas in Dallas: a team of Northwind's that starts with the demo's rosters.
US_DESK = cast.TeamSpec("northwind-desk-us", "Northwind service desk Americas", "northwind", "America/Chicago")
US_AGENT = cast.PersonSpec(
    "agent-us",
    "jake.miller@northwind.example",
    "Jake Miller",
    "northwind",
    Role.AGENT,
    US_DESK.slug,
    "America/Chicago",
)
ROSTER_WEEKS = 10  # eight weeks back, the current one and the next


@dataclass
class ShiftsResult:
    patterns: int
    roster_entries: int
    pages: int

    @property
    def summary(self) -> str:
        return (
            f"demo: {self.patterns} shift patterns with {self.roster_entries} roster entries, follow-the-sun from "
            f"China to India, an on-call rotation and {self.pages} page escalated at night."
        )


def plan_shifts(scenario, end: datetime) -> ShiftsResult:
    _add_dallas_desk(scenario)
    people, teams = scenario.people, scenario.teams
    admin = people["administrator"]
    monday = end.date() - timedelta(days=end.weekday()) - timedelta(weeks=ROSTER_WEEKS - 2)
    entries = 0
    with silenced():
        for slug, name, starts, ends, country in PATTERNS:
            team = teams[slug]
            planner = admin if team.organization_id == admin.organization_id else people["customer-administrator"]
            pattern = rosters.create_pattern(
                actor=planner, team=team, name=name, weekdays=WEEKDAYS, starts_at=starts, ends_at=ends, holidays=country
            )
            members = _members(team)
            for week in range(ROSTER_WEEKS):
                for person in members:
                    rosters.roster_person(pattern, actor=planner, week=monday + timedelta(weeks=week), person=person)
                    entries += 1
        rule = RoutingRule.objects.filter(contract=scenario.contract, service=None, category="").first()
        if rule is not None and rule.team_id is not None:
            rosters.set_sun_teams(rule, actor=admin, teams=[teams["app-support-cn"], teams["app-support-in"]])
        pages = _night_page(scenario, end)
    return ShiftsResult(len(PATTERNS), entries, pages)


def _add_dallas_desk(scenario) -> None:
    northwind = scenario.organizations[US_DESK.organization]
    team = Team.objects.create(
        slug=US_DESK.slug,
        name=US_DESK.name,
        organization=northwind,
        timezone=US_DESK.timezone,
        is_service_desk=US_DESK.is_service_desk,
        email=f"{US_DESK.slug}@{US_DESK.organization}.example",
    )
    person = User.objects.create(
        email=US_AGENT.email,
        password=make_password(cast.PASSWORD),
        full_name=US_AGENT.full_name,
        organization=northwind,
        timezone=US_AGENT.timezone,
    )
    Membership.objects.create(user=person, organization=northwind, team=team, role=US_AGENT.role)
    scenario.teams[team.slug] = team
    scenario.people[US_AGENT.key] = person


def _members(team) -> list[User]:
    ids = Membership.objects.filter(COUNTED_MEMBERSHIPS, team=team).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("email"))


def _night_page(scenario, end: datetime) -> int:
    people, team = scenario.people, scenario.teams["app-support-in"]
    lead, resolver = people["team-lead"], people["resolver-in"]
    oncall.save_rotation(
        actor=people["administrator"],
        team=team,
        name="India on call",
        layer=1,
        period="weekly",
        handoff_time=time(9),
        starts_on=date(2026, 1, 5),
        members=[resolver],
    )
    oncall.save_policy(
        actor=people["administrator"],
        team=team,
        name="Application support India",
        steps=[("on_call", 0), ("team_lead", 15)],
    )
    zone = ZoneInfo(team.timezone)
    night = (end - timedelta(days=3)).astimezone(zone).replace(hour=2, minute=10, second=0, microsecond=0)
    ticket = Ticket.objects.filter(contract=scenario.contract, created_at__lt=night).order_by("-created_at").first()
    page = oncall.start_page(
        team=team,
        title="SAP ERP: postings fail for the Pune plant",
        details="The nightly batch stopped; the morning shift in Pune cannot post goods receipts.",
        ticket=ticket,
        actor=people["agent"],
        at=night,
    )
    run_due_step(page.pk, 1, night + timedelta(minutes=15))
    oncall.acknowledge_page(page, actor=lead, at=night + timedelta(minutes=21))
    oncall.resolve_page(page, actor=lead, at=night + timedelta(minutes=70))
    return Page.objects.filter(pk=page.pk).count()
