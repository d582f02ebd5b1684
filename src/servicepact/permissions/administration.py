"""An organization's own administration: its people, memberships, teams, routing, API tokens and settings.

An organization's administrators (the role ``administrator`` in their own organization) run these for
their organization only: there is no organization parameter to get wrong, every page works on the
administrator's own. Nobody administers another organization's people, not even a partner's: a provider
administrator manages the provider's people and teams, a customer administrator the customer's. The
routing (the responsibility matrix) of a contract is the provider's desk's, so the provider's
administrators write it; the customer's administrators read it. Superusers are the platform's operators:
they use Django's admin, not these pages, and hold no organization of their own here.
"""

from django.db.models import QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import Principal, principal_of


def is_administrator(who: Principal) -> bool:
    return who.organization_id is not None and Role.ADMINISTRATOR in who.roles


def administers_organization(user) -> bool:
    """Whether ``user`` administers their own organization: the administration pages are for them."""
    return is_administrator(principal_of(user))


def can_administer_person(user, person) -> bool:
    who = principal_of(user)
    return is_administrator(who) and person.organization_id == who.organization_id


def can_administer_team(user, team) -> bool:
    who = principal_of(user)
    return is_administrator(who) and team.organization_id == who.organization_id


def can_edit_routing(user, contract) -> bool:
    """The responsibility matrix of a contract: written by its provider's administrators."""
    who = principal_of(user)
    return is_administrator(who) and contract.provider_id == who.organization_id


def can_edit_routing_rule(user, rule) -> bool:
    return can_edit_routing(user, rule.contract)


def can_revoke_token(user, token) -> bool:
    """A token is revoked by its owner, or by an administrator of the owner's organization."""
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if token.user_id == who.user_id:
        return True
    return is_administrator(who) and token.user.organization_id == who.organization_id


def visible_records(records: QuerySet, who: Principal) -> QuerySet:
    """An organization's administration records: for its administrators."""
    if who.is_superuser:
        return records
    if not is_administrator(who):
        return records.none()
    return records.filter(organization_id=who.organization_id)


def can_administer_membership(user, membership) -> bool:
    """A role of one of the organization's people, given in the organization itself."""
    return (
        can_administer_person(user, membership.user) and membership.organization_id == membership.user.organization_id
    )
