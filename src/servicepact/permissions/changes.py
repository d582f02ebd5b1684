"""Changes and releases: who reads them, raises them, decides on them and implements them.

Changes are read by the contract's parties' people with a role other than requester. The customer's and
the provider's staff and the customer's managers raise them and group them into releases. A change is
decided by the members of the customer's change advisory board that the contract names, frozen onto the
change when it is submitted (``board``); it is implemented, once approved, only by the team the contract
names (``implementers``, frozen likewise) or, when it names none, by the provider's staff.
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.cmdb import reads_cmdb, visible_items
from servicepact.permissions.contracts import contracts_of
from servicepact.permissions.principal import STAFF_ROLES, Principal, principal_of

REQUESTING_ROLES = (*STAFF_ROLES, Role.CUSTOMER_MANAGER)


def visible_changes(rows: QuerySet, who: Principal) -> QuerySet:
    """Changes, templates and releases: those of the contracts whose CMDB one reads."""
    return visible_items(rows, who)


def of_visible_changes(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    changes = apps.get_model("changes", "Change").objects.visible_to(who)
    return rows.filter(change__in=changes.values("pk"))


def of_visible_releases(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    releases = apps.get_model("changes", "Release").objects.visible_to(who)
    return rows.filter(release__in=releases.values("pk"))


def reads_changes(user) -> bool:
    return reads_cmdb(user)


def can_request_change(user, contract) -> bool:
    """The customer's and the provider's staff and the customer's managers."""
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    return who.organization_id in (contract.customer_id, contract.provider_id) and who.has(*REQUESTING_ROLES)


def requests_changes_somewhere(user) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    if who.is_anonymous or not who.has(*REQUESTING_ROLES):
        return False
    return any(can_request_change(who, contract) for contract in contracts_of(who))


def can_edit_change(user, change) -> bool:
    return can_request_change(user, change.contract)


def can_decide(user, change) -> bool:
    """A member of the board frozen onto the change when it was submitted."""
    who = principal_of(user)
    return not who.is_anonymous and who.user_id in (change.board or [])


def can_implement(user, change) -> bool:
    """The team the contract names, or else the provider's staff."""
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    if change.implementers:
        return change.implementers in who.team_slugs and who.is_staff_member
    return who.organization_id == change.contract.provider_id and who.is_staff_member


def can_manage_release(user, release) -> bool:
    return can_request_change(user, release.contract)
