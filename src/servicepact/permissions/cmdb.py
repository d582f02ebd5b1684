"""The configuration management database: who reads a contract's items and who keeps them.

The items of a contract are read by its parties' people with a role other than requester (the customer's,
the provider's and the other vendors' staff, who work on those items); they are kept (created, changed,
imported, related) by the administrators and team leads of the customer and the provider. A ticket names
its items by whoever works the ticket. Relationships follow their source item, a ticket's links the ticket.
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.contracts import contracts_of
from servicepact.permissions.principal import Principal, principal_of
from servicepact.permissions.tickets import can_work_ticket

KEEPER_ROLES = (Role.ADMINISTRATOR, Role.TEAM_LEAD)


def _reader(who: Principal) -> bool:
    return who.is_superuser or bool(who.roles - {Role.REQUESTER})


def visible_items(items: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return items
    if not _reader(who):
        return items.none()
    return items.filter(contract__in=contracts_of(who).values("pk"))


def visible_relationships(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    items = apps.get_model("cmdb", "ConfigurationItem").objects.visible_to(who)
    return rows.filter(source__in=items.values("pk"))


def visible_ticket_items(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    items = apps.get_model("cmdb", "ConfigurationItem").objects.visible_to(who)
    tickets = apps.get_model("desk", "Ticket").objects.visible_to(who)
    return rows.filter(item__in=items.values("pk"), ticket__in=tickets.values("pk"))


def reads_cmdb(user) -> bool:
    """Whether the person reads some contract's configuration items: the CMDB pages are for them."""
    who = principal_of(user)
    return _reader(who) and (who.is_superuser or contracts_of(who).exists())


def can_keep_items(user, contract) -> bool:
    """The administrators and team leads of the contract's customer or provider."""
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    return who.organization_id in (contract.customer_id, contract.provider_id) and who.has(*KEEPER_ROLES)


def keeps_items_somewhere(user) -> bool:
    """Whether the person keeps the items of some contract (the forms and the import are offered to them)."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    if who.is_anonymous or not who.has(*KEEPER_ROLES):
        return False
    return any(can_keep_items(who, contract) for contract in contracts_of(who))


def can_keep_item(user, item) -> bool:
    return can_keep_items(user, item.contract)


def can_link_items(user, ticket) -> bool:
    """Whoever works the ticket names its configuration items."""
    return can_work_ticket(user, ticket)
