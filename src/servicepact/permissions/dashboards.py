"""Dashboards: a team lead's over the queues of the teams they lead, a customer manager's over their organization.

Each is for its role only, and shows only what the access layer already lets the person see: the lead's
own teams (the teams of their team-lead memberships), the manager's own organization's tickets, reports and
major incidents.
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import COUNTED_MEMBERSHIPS, principal_of


def leads_teams(user) -> bool:
    """A team lead of some team of their own organization."""
    who = principal_of(user)
    return Role.TEAM_LEAD in who.roles and bool(who.team_ids)


def manages_customer(user) -> bool:
    """A customer's manager: their organization's tickets, service levels, credits and major incidents."""
    who = principal_of(user)
    return who.is_customer and Role.CUSTOMER_MANAGER in who.roles


def led_teams(user) -> QuerySet:
    """The teams the person leads: those of their counted team-lead memberships, among the teams they see."""
    memberships = apps.get_model("accounts", "Membership").objects.filter(
        COUNTED_MEMBERSHIPS, user_id=principal_of(user).user_id, role=Role.TEAM_LEAD, team__isnull=False
    )
    teams = apps.get_model("accounts", "Team").objects.visible_to(user)
    return teams.filter(pk__in=memberships.values("team_id")).order_by("-is_service_desk", "name")


def has_dashboard(user) -> bool:
    """A team lead or a customer's manager: someone with a dashboard of their own."""
    return leads_teams(user) or manages_customer(user)


def dashboard_of(user) -> str | None:
    """The URL name of the person's dashboard (a lead's first), or None when their roles have none."""
    if leads_teams(user):
        return "dashboards:lead"
    if manages_customer(user):
        return "dashboards:customer"
    return None
