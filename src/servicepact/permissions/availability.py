"""Outages of a contract's services: who reads them, who records and ends them.

Both parties of the contract read its outages: the customer's and the provider's people with a role other
than requester (availability is a contract number both sides watch). The provider's staff (agents,
resolvers, team leads, administrators) record and end them; the customer reads and checks.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import STAFF_ROLES, Principal, principal_of

READER_ROLES = frozenset(Role) - {Role.REQUESTER}


def visible_outages(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    if not (who.roles & READER_ROLES):
        return rows.none()
    own = who.organization_id
    return rows.filter(Q(contract__customer_id=own) | Q(contract__provider_id=own))


def reads_outages(user, contract) -> bool:
    """Whether the person reads the outages of ``contract`` (one of its two parties, a role beyond requester)."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.organization_id in (contract.customer_id, contract.provider_id) and bool(who.roles & READER_ROLES)


def can_record_outage(user, contract) -> bool:
    """The provider's staff record, end and correct the outages of its contracts."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.organization_id == contract.provider_id and bool(who.roles & STAFF_ROLES)


def can_change_outage(user, outage) -> bool:
    return can_record_outage(user, outage.contract)


def reads_some_outages(user) -> bool:
    """Whether the person reads the outages of some contract (the header's link)."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    contracts = apps.get_model("contracts", "Contract").objects.visible_to(who)
    return bool(who.roles & READER_ROLES) and any(reads_outages(who, contract) for contract in contracts)
