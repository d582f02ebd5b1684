"""Imports of other tools' history: who brings history into a contract, and who reads the imports.

An import writes tickets that count in the contract's reports and credits, so only the administrators of
the contract's customer or provider may run one. The record of an import (its file, its mapping, what it
found and approximated) is for those who read the contract's reports, who also backtest drafts on it.
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import Principal, principal_of
from servicepact.permissions.reports import (
    can_read_reports,
    reads_reports,
    visible_reports,
)

IMPORTER_ROLES = (Role.ADMINISTRATOR,)


def can_import(user, contract) -> bool:
    """The administrators of the contract's customer or provider."""
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    return who.organization_id in (contract.customer_id, contract.provider_id) and who.has(*IMPORTER_ROLES)


def imports_somewhere(user) -> bool:
    """Whether the person may import into some contract (the upload page is offered to them)."""
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    if not who.has(*IMPORTER_ROLES):
        return False
    return any(
        can_import(user, contract) for contract in apps.get_model("contracts", "Contract").objects.visible_to(who)
    )


def can_read_import(user, run) -> bool:
    return can_read_reports(user, run.contract)


def reads_imports(user) -> bool:
    """Whether the person reads some contract's imports, or may import: the imports pages are for them."""
    return reads_reports(user) or imports_somewhere(user)


def visible_import_runs(runs: QuerySet, who: Principal) -> QuerySet:
    """The runs of the contracts whose reports the person reads."""
    return visible_reports(runs, who)


def visible_imported_tickets(rows: QuerySet, who: Principal) -> QuerySet:
    """A ticket's import record goes with the ticket."""
    if who.is_superuser:
        return rows
    tickets = apps.get_model("desk", "Ticket").objects.visible_to(who)
    return rows.filter(ticket__in=tickets.values("pk"))
