"""Pages: a team's calls for its person on call, seen and answered by its organization's staff.

Rotations and escalation policies are a team's planning (``permissions.rosters``: seen with the team,
written by its leads and its organization's administrators). A page is about the team's own work: the
staff of the team's organization see it and may acknowledge or resolve it; so does anyone holding the
signed link of a page mailed to them (the link stands for the person it was sent to).
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.permissions.people import visible_teams
from servicepact.permissions.principal import Principal, principal_of


def can_answer_page(user, page) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.is_staff_member and page.team.organization_id == who.organization_id


def can_start_page(user, team) -> bool:
    who = principal_of(user)
    return who.is_staff_member and team.organization_id == who.organization_id


def reads_pages(user) -> bool:
    who = principal_of(user)
    return who.is_superuser or who.is_staff_member


def visible_pages(pages: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return pages
    if not who.is_staff_member:
        return pages.none()
    return pages.filter(team__organization_id=who.organization_id)


def visible_page_notices(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    return rows.filter(page__in=visible_pages(apps.get_model("oncall", "Page").objects.all(), who).values("pk"))


def of_visible_rotations(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    teams = visible_teams(apps.get_model("accounts", "Team").objects.all(), who)
    return rows.filter(rotation__team__in=teams.values("pk"))


def of_visible_policies(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    teams = visible_teams(apps.get_model("accounts", "Team").objects.all(), who)
    return rows.filter(policy__team__in=teams.values("pk"))
