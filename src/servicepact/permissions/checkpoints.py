"""Checkpoints of the event logs: for the people who read a contract's reports.

A checkpoint's statement (sequence, instant, signed root) names no tenant: everyone who reads some
contract's reports sees the list. Its groups do name tickets: a contract's group (and the download of its
copy) is for the readers of that contract's reports, the customer's managers and the provider's people
(``reports``); the ledger of issued numbers, which spans every tenant, for the platform's operator only.
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.permissions.principal import Principal, principal_of
from servicepact.permissions.reports import can_read_reports, readable_contracts, reads_reports


def visible_checkpoints(checkpoints: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return checkpoints
    return checkpoints if readable_contracts(who) is not None else checkpoints.none()


def visible_checkpoint_groups(groups: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return groups
    readable = readable_contracts(who)
    return groups.none() if readable is None else groups.filter(readable, contract__isnull=False)


def visible_head_sets(head_sets: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return head_sets
    groups = apps.get_model("evidence", "CheckpointGroup").objects.visible_to(who)
    return head_sets.filter(pk__in=groups.values("heads_id"))


def reads_checkpoints(user) -> bool:
    """Whether the person reads some contract's checkpoints: the checkpoints page is for them."""
    return reads_reports(user)


def can_read_checkpoint_group(user, group) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    return group.contract_id is not None and can_read_reports(who, group.contract)
