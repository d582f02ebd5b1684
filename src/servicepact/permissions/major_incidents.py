"""Major incidents: who reads them, who declares and runs them.

A major incident is read by the contract's parties who read its tickets organization-wide (the provider's
people with a role, the customer's managers, analysts and administrators). The provider's team leads and
administrators declare one and run it: affected services, linked incidents, updates to the customer,
resolution and the post-incident review.
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import principal_of
from servicepact.permissions.problems import visible_problems

COMMANDER_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATOR)


def visible_major_incidents(rows: QuerySet, who) -> QuerySet:
    return visible_problems(rows, who)


def of_visible_major_incidents(rows: QuerySet, who) -> QuerySet:
    """Updates and reviews go with their major incident."""
    if who.is_superuser:
        return rows
    majors = apps.get_model("major_incidents", "MajorIncident").objects.visible_to(who)
    return rows.filter(major_incident__in=majors.values("pk"))


def can_declare_major_incident(user, contract) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.is_provider and contract.provider_id == who.organization_id and who.has(*COMMANDER_ROLES)


def declares_major_incidents(user) -> bool:
    who = principal_of(user)
    return who.is_superuser or (who.is_provider and who.has(*COMMANDER_ROLES))


def can_run_major_incident(user, major_incident) -> bool:
    return can_declare_major_incident(user, major_incident.contract)
