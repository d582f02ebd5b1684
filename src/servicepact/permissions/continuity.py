"""Continuity plans of a contract's services and their tests: who reads them, who writes and tests them.

Both parties read them (their people with a role beyond requester), as they read outages. The provider's
team leads and administrators write plans and record their tests.
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.availability import reads_outages, visible_outages
from servicepact.permissions.principal import principal_of

MANAGER_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATOR)


def visible_plans(rows: QuerySet, who) -> QuerySet:
    return visible_outages(rows, who)


def of_visible_plans(rows: QuerySet, who) -> QuerySet:
    """A plan's tests go with it."""
    if who.is_superuser:
        return rows
    plans = apps.get_model("continuity", "ContinuityPlan").objects.visible_to(who)
    return rows.filter(plan__in=plans.values("pk"))


def reads_continuity(user, contract) -> bool:
    return reads_outages(user, contract)


def reads_some_continuity(user) -> bool:
    """Whether the person reads some contract's plans: the coverage page is for them."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    contracts = apps.get_model("contracts", "Contract").objects.visible_to(who)
    return any(reads_continuity(who, contract) for contract in contracts)


def can_manage_continuity(user, contract) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.organization_id == contract.provider_id and who.has(*MANAGER_ROLES)


def can_manage_plan(user, plan) -> bool:
    return can_manage_continuity(user, plan.contract)
