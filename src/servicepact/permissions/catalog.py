"""The request catalogue: who reads a contract's catalogue, asks from it, keeps it, approves and fulfils.

A contract's catalogue is read by the people with a role in its customer or its provider (other vendors
and people without a role see none); the customer's people ask from it. The customer's managers and
administrators and the provider's administrators and team leads keep it. A submitted request is seen by
whoever sees its ticket and by its approver; the approver decides while it waits; those who work the
ticket (or belong to a task's team) tick its tasks off.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import Principal, principal_of
from servicepact.permissions.tickets import can_create_ticket, can_work_ticket, tickets_of

KEEPER_ROLES = {
    "customer": (Role.CUSTOMER_MANAGER, Role.ADMINISTRATOR),
    "provider": (Role.ADMINISTRATOR, Role.TEAM_LEAD),
}


def _items(who: Principal, prefix: str = "") -> Q | None:
    if who.is_superuser:
        return Q()
    if not who.roles or who.is_vendor:
        return None
    return Q(**{f"{prefix}contract__customer_id": who.organization_id}) | Q(
        **{f"{prefix}contract__provider_id": who.organization_id}
    )


def visible_items(rows: QuerySet, who: Principal) -> QuerySet:
    condition = _items(who)
    return rows.none() if condition is None else rows.filter(condition)


def visible_item_parts(rows: QuerySet, who: Principal) -> QuerySet:
    """Fields and tasks of the items ``who`` sees."""
    condition = _items(who, "item__")
    return rows.none() if condition is None else rows.filter(condition)


def visible_requests(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    if who.is_anonymous:
        return rows.none()
    return rows.filter(Q(ticket__in=tickets_of(who).values("pk")) | Q(approver_id=who.user_id))


def visible_request_tasks(rows: QuerySet, who: Principal) -> QuerySet:
    requests = apps.get_model("catalog", "ServiceRequest").objects.visible_to(who)
    return rows.filter(request__in=requests.values("pk"))


def reads_catalog(user, contract) -> bool:
    """A person with a role in the contract's customer or provider."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    return bool(who.roles) and who.organization_id in (contract.customer_id, contract.provider_id)


def reads_some_catalog(user) -> bool:
    who = principal_of(user)
    return who.is_superuser or (bool(who.roles) and not who.is_vendor)


def can_ask(user, item) -> bool:
    """The contract's customer's people ask for an offered item (the desk records on their behalf by the
    ordinary ticket form)."""
    who = principal_of(user)
    if not item.active:
        return False
    return who.organization_id == item.contract.customer_id and can_create_ticket(user, item.contract)


def keeps_catalog(user, contract) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    if who.organization_id == contract.customer_id:
        return who.has(*KEEPER_ROLES["customer"])
    return who.organization_id == contract.provider_id and who.has(*KEEPER_ROLES["provider"])


def can_decide_request(user, request) -> bool:
    """The approver the request was given to, while it waits."""
    who = principal_of(user)
    return not who.is_anonymous and request.approver_id == who.user_id and request.approval == "pending"


def can_tick_task(user, task) -> bool:
    """Those who work the request's ticket, or the staff of the task's team."""
    who = principal_of(user)
    if can_work_ticket(user, task.request.ticket):
        return True
    return who.is_staff_member and task.team_id is not None and task.team_id in who.team_ids


def can_fulfil_request(user, request) -> bool:
    return can_work_ticket(user, request.ticket)
