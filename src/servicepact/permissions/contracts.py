"""Contracts and what belongs to one: versions, services, categories, the responsibility matrix.

A contract is visible to the people with a role in one of its parties (customer, provider, other
vendors); what belongs to it follows the contract. Its text carries the commercials (fees, credits), so
only the customer's and the provider's managers, analysts, administrators, agents and team leads read it.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import Principal, principal_of

# Roles of the customer and the provider that may read a contract's full text, commercials included.
TEXT_READER_ROLES = (Role.CUSTOMER_MANAGER, Role.REPORTING_ANALYST, Role.ADMINISTRATOR, Role.AGENT, Role.TEAM_LEAD)


def visible_contracts(contracts: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return contracts
    if not who.roles:
        return contracts.none()
    own = who.organization_id
    return contracts.filter(Q(customer_id=own) | Q(provider_id=own) | Q(vendors=own)).distinct()


def contracts_of(who: Principal) -> QuerySet:
    return apps.get_model("contracts", "Contract").objects.visible_to(who)


def of_visible_contracts(rows: QuerySet, who: Principal) -> QuerySet:
    """Versions, services, categories: those of the contracts one sees."""
    if who.is_superuser:
        return rows
    return rows.filter(contract__in=contracts_of(who).values("pk"))


def visible_routing_rules(rules: QuerySet, who: Principal) -> QuerySet:
    """The responsibility matrix names the parties' teams: for the parties' people with a role other than
    requester."""
    if who.is_superuser:
        return rules
    if not (who.roles - {Role.REQUESTER}):
        return rules.none()
    return rules.filter(contract__in=contracts_of(who).values("pk"))


def reads_contracts(user) -> bool:
    """Whether the person reads the text of some contract: the contract pages are for them."""
    who = principal_of(user)
    return who.is_superuser or any(reads_contract_text(who, contract) for contract in contracts_of(who))


def can_register_version(user, contract) -> bool:
    """Either party's administrators, and the customer's managers, may put a new text up for signing."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    if who.organization_id == contract.customer_id:
        return who.has(Role.CUSTOMER_MANAGER, Role.ADMINISTRATOR)
    return who.organization_id == contract.provider_id and who.has(Role.ADMINISTRATOR)


def can_sign(user, contract, party: str) -> bool:
    """The customer signs by a manager or administrator of its own; the provider by an administrator."""
    who = principal_of(user)
    if party == "customer":
        return who.organization_id == contract.customer_id and who.has(Role.CUSTOMER_MANAGER, Role.ADMINISTRATOR)
    return party == "provider" and who.organization_id == contract.provider_id and who.has(Role.ADMINISTRATOR)


def reads_contract_text(user, contract) -> bool:
    """Whether the person may read the contract's text, which carries the commercials (fees, credits).

    Other vendors and requesters see that a contract exists, never its terms.
    """
    who = principal_of(user)
    if who.is_superuser:
        return True
    party = who.organization_id in (contract.customer_id, contract.provider_id)
    return party and who.has(*TEXT_READER_ROLES)
