"""Organizations, teams, people, memberships and API tokens as others see them.

A person sees their own organization and the organizations it works with: the other parties of the
contracts their organization is a party to (customer, provider, other vendors). Someone with no role
sees only their own organization's name and themselves. A vendor's people see only their own
organization's people: its engineers need no contact details of the customer's. A requester (someone
whose only role is requester) sees their own organization's people and, of the partners' staff, only
those who work the tickets they see (the assignee, whoever wrote a public entry), and those by name:
no partner's e-mail address (``sees_contact_details``). Deactivated people are seen only by their own
organization's administrators, who may reactivate them. An API token is seen by its owner and by the
administrators of the owner's organization, who may revoke it.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.administration import is_administrator
from servicepact.permissions.principal import COUNTED_MEMBERSHIPS, Principal, principal_of
from servicepact.permissions.tickets import tickets_of


def partner_organization_ids(who: Principal) -> set[int]:
    """The ids of the organizations ``who``'s organization shares a contract with, its own included."""
    if who.is_anonymous or who.organization_id is None:
        return set()
    if "partners" not in who.memo:
        own = who.organization_id
        contracts = apps.get_model("contracts", "Contract").objects.filter(
            pk__in=apps.get_model("contracts", "Contract")
            .objects.filter(Q(customer_id=own) | Q(provider_id=own) | Q(vendors=own))
            .values("pk")
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


def is_requester_only(who: Principal) -> bool:
    """Someone whose only role is requester: they see the partners' staff only as their tickets' handlers."""
    return not who.is_superuser and bool(who.roles) and who.roles <= {Role.REQUESTER}


def visible_people(people: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return people
    if not who.roles:
        return people.filter(pk=who.user_id)
    own = Q(organization_id=who.organization_id)
    if who.is_vendor:
        seen = own
    elif is_requester_only(who):
        events = apps.get_model("desk", "TicketEvent").objects.visible_to(who)
        handlers = Q(pk__in=tickets_of(who).values("assignee_id")) | Q(pk__in=events.values("actor_id"))
        seen = own | handlers | Q(pk=who.user_id)
    else:
        seen = Q(organization_id__in=partner_organization_ids(who))
    visible = Q(is_active=True) & seen
    if is_administrator(who):
        visible |= own  # their own people, deactivated ones included
    return people.filter(visible)


def sees_contact_details(user, person) -> bool:
    """Whether ``user`` sees ``person``'s e-mail address and phone, beside the name (for a person they see):
    requesters see them of their own organization's people only."""
    who = principal_of(user)
    if not is_requester_only(who) or person.pk == who.user_id:
        return True
    return person.organization_id == who.organization_id


def visible_memberships(memberships: QuerySet, who: Principal) -> QuerySet:
    """One's own memberships, and the memberships that count of the people one sees."""
    if who.is_superuser:
        return memberships
    people = apps.get_model("accounts", "User").objects.visible_to(who)
    return memberships.filter(Q(user_id=who.user_id) | (Q(user__in=people.values("pk")) & COUNTED_MEMBERSHIPS))


def visible_tokens(tokens: QuerySet, who: Principal) -> QuerySet:
    """A person's own tokens, superusers included; an administrator's also those of their organization's
    people (to revoke them). The personal token pages and operations narrow to the person's own."""
    mine = Q(user_id=who.user_id)
    if is_administrator(who):
        mine |= Q(user__organization_id=who.organization_id)
    return tokens.filter(mine)
