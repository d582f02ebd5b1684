"""Shifts, rosters, on-call rotations and escalation policies: who reads them and who writes them.

They are a team's working time, read by everyone who sees the team (the people with a role in an
organization that shares a contract with the team's). A team's shifts, rosters, rotations and policies are
written by its own team leads and by its organization's administrators. Handing a team's open tickets over
to the next team on shift is for the people who work them: the team's members with a staff role, its leads,
and its organization's administrators.
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.administration import is_administrator
from servicepact.permissions.people import visible_teams
from servicepact.permissions.principal import Principal, principal_of


def can_plan_team(user, team) -> bool:
    who = principal_of(user)
    if who.is_anonymous or team.organization_id != who.organization_id:
        return False
    return is_administrator(who) or (Role.TEAM_LEAD in who.roles and team.pk in who.team_ids)


def plans_some_team(user) -> bool:
    who = principal_of(user)
    return is_administrator(who) or (Role.TEAM_LEAD in who.roles and bool(who.team_ids))


def can_hand_over(user, team) -> bool:
    who = principal_of(user)
    if who.is_anonymous or team.organization_id != who.organization_id:
        return False
    return is_administrator(who) or (who.is_staff_member and team.pk in who.team_ids)


def reads_rosters(user) -> bool:
    """Anyone with a role sees the teams of their partners, and so their shifts."""
    who = principal_of(user)
    return who.is_superuser or bool(who.roles)


def _teams(who: Principal) -> QuerySet:
    return visible_teams(apps.get_model("accounts", "Team").objects.all(), who)


def of_visible_teams(rows: QuerySet, who: Principal) -> QuerySet:
    """Rows hanging off a team (``team``), seen with the team."""
    if who.is_superuser:
        return rows
    return rows.filter(team__in=_teams(who).values("pk"))


def of_visible_patterns(rows: QuerySet, who: Principal) -> QuerySet:
    """Rows hanging off a shift pattern (``pattern``), seen with the pattern's team."""
    if who.is_superuser:
        return rows
    return rows.filter(pattern__team__in=_teams(who).values("pk"))


def visible_sun_teams(rows: QuerySet, who: Principal) -> QuerySet:
    """A follow-the-sun line goes with its routing rule."""
    if who.is_superuser:
        return rows
    rules = apps.get_model("desk", "RoutingRule").objects.visible_to(who)
    return rows.filter(rule__in=rules.values("pk"))
