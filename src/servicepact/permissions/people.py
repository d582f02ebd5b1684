"""Organizations, teams, people, memberships and API tokens as others see them.

A person sees their own organization and the organizations it works with: the other parties of the
contracts their organization is a party to (customer, provider, other vendors). Someone with no role
sees only their own organization's name and themselves. A vendor's people see only their own
organization's people: its engineers need no contact details of the customer's. An API token is seen
by its owner only.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from servicepact.permissions.principal import COUNTED_MEMBERSHIPS, Principal


def partner_organization_ids(who: Principal) -> set[int]:
    """The ids of the organizations ``who``'s organization shares a contract with, its own included."""
    if who.is_anonymous or who.organization_id is None:
        return set()
    if "partners" not in who.memo:
        own = who.organization_id
        contracts = apps.get_model("contracts", "Contract").objects.filter(
            pk__in=apps.get_model("contracts", "Contract").objects.filter(
                Q(customer_id=own) | Q(provider_id=own) | Q(vendors=own)).values("pk")
        )
        ids = {own}
        for parties in contracts.values_list("customer_id", "provider_id", "vendors"):
            ids.update(party for party in parties if party is not None)
        who.memo["partners"] = ids
    return who.memo["partners"]


def visible_organizations(organizations: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return organizations
    if not who.roles:
        return organizations.filter(pk=who.organization_id)
    return organizations.filter(pk__in=partner_organization_ids(who))


def visible_teams(teams: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return teams
    if not who.roles:
        return teams.none()
    return teams.filter(organization_id__in=partner_organization_ids(who))


def visible_people(people: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return people
    if not who.roles:
        return people.filter(pk=who.user_id)
    if who.is_vendor:
        return people.filter(is_active=True, organization_id=who.organization_id)
    return people.filter(is_active=True, organization_id__in=partner_organization_ids(who))


def visible_memberships(memberships: QuerySet, who: Principal) -> QuerySet:
    """One's own memberships, and the memberships that count of the people one sees."""
    if who.is_superuser:
        return memberships
    people = apps.get_model("accounts", "User").objects.visible_to(who)
    return memberships.filter(Q(user_id=who.user_id) | (Q(user__in=people.values("pk")) & COUNTED_MEMBERSHIPS))


def visible_tokens(tokens: QuerySet, who: Principal) -> QuerySet:
    """A person's own tokens, superusers included: a token is its owner's business."""
    return tokens.filter(user_id=who.user_id)
