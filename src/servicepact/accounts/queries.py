"""Reads of organizations, teams and people: who may see whom.

A person sees their own organization and the organizations it works with, i.e. the other parties of the
contracts their organization is a party to (customer, provider, other vendors). Someone with no role
sees only their own organization's name.
"""

from django.db.models import Q, QuerySet

from servicepact.accounts.models import Organization, Team, User
from servicepact.contracts.models import Contract
from servicepact.permissions import principal_of


def partner_organization_ids(user) -> set[int]:
    """The ids of the organizations the user's organization shares a contract with, its own included."""
    who = principal_of(user)
    if who.is_anonymous or who.organization_id is None:
        return set()
    own = who.organization_id
    contracts = Contract.objects.filter(Q(customer_id=own) | Q(provider_id=own) | Q(vendors=own)).distinct()
    ids = {own}
    for customer_id, provider_id in contracts.values_list("customer_id", "provider_id"):
        ids.update((customer_id, provider_id))
    ids.update(
        Contract.vendors.through.objects.filter(contract__in=contracts).values_list("organization_id", flat=True)
    )
    return ids


def visible_organizations(user) -> QuerySet[Organization]:
    who = principal_of(user)
    if who.is_anonymous:
        return Organization.objects.none()
    if who.is_superuser:
        return Organization.objects.all()
    if not who.roles:
        return Organization.objects.filter(pk=who.organization_id)
    return Organization.objects.filter(pk__in=partner_organization_ids(user))


def visible_teams(user) -> QuerySet[Team]:
    who = principal_of(user)
    if who.is_superuser:
        return Team.objects.all()
    if who.is_anonymous or not who.roles:
        return Team.objects.none()
    return Team.objects.filter(organization_id__in=partner_organization_ids(user))


def visible_people(user) -> QuerySet[User]:
    who = principal_of(user)
    if who.is_anonymous:
        return User.objects.none()
    if who.is_superuser:
        return User.objects.all()
    if not who.roles:
        return User.objects.filter(pk=who.user_id)
    return User.objects.filter(is_active=True, organization_id__in=partner_organization_ids(user))
