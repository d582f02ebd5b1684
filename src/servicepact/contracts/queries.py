"""Reads of contracts: a contract is visible to the members of its parties who hold a role."""

from django.db.models import Q, QuerySet

from servicepact.contracts.models import Contract, ContractVersion
from servicepact.permissions import Principal, principal_of

# Roles of the customer and the provider that may read a contract's full text, commercials included.
TEXT_READER_ROLES = ("customer_manager", "reporting_analyst", "administrator", "agent", "team_lead")


def visible_contracts(user) -> QuerySet[Contract]:
    who = principal_of(user)
    if who.is_superuser:
        return Contract.objects.all()
    if who.is_anonymous or not who.roles:
        return Contract.objects.none()
    own = who.organization_id
    return Contract.objects.filter(Q(customer_id=own) | Q(provider_id=own) | Q(vendors=own)).distinct()


def visible_versions(user) -> QuerySet[ContractVersion]:
    return ContractVersion.objects.filter(contract__in=visible_contracts(user))


def reads_contract_text(who: Principal, contract: Contract) -> bool:
    """Whether the person may read the contract's text, which carries the commercials (fees, credits).

    Other vendors and requesters see that a contract exists, never its terms.
    """
    if who.is_superuser:
        return True
    party = who.organization_id in (contract.customer_id, contract.provider_id)
    return party and who.has(*TEXT_READER_ROLES)
