"""What a change's plan meets before anyone approves it: its risk from the CMDB, the freeze periods of the
contract, and the other changes whose windows overlap on the same or dependent items.

Risk: the most critical business service affected (the items changed and everything that needs them)
decides it: tier 1 high, tier 2 medium, otherwise low. A freeze covers the change when a frozen day (in the
contract's reporting time zone) meets the window and the freeze applies to an affected service. Two
changes conflict when their windows overlap and they touch the same item, or one's item depends on the
other's (directly or not).
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q

from servicepact.changes.models import ACTIVE_STATUSES, Change, Risk
from servicepact.cmdb.models import ConfigurationItem
from servicepact.cmdb.queries import closure, graph_of, impact_of
from servicepact.contracts.actions import version_in_force
from servicepact.contracts.models import Contract
from servicepact.refusals import ActionRefused
from servicepact.sla.contract_model import ChangesDef, FreezeDef


def risk_of_tiers(tiers: list[int]) -> str:
    best = min(tiers, default=4)
    return Risk.HIGH if best <= 1 else Risk.MEDIUM if best == 2 else Risk.LOW


def assess(items: list[ConfigurationItem], user) -> tuple[str, dict]:
    """The risk and the impact (affected services with their tiers) of changing ``items``."""
    impact = impact_of(items, user)
    services = [
        {"key": service.service.key if service.service_id else service.key, "name": service.name, "tier": service.tier}
        for service in impact.services
    ]
    return risk_of_tiers([service["tier"] for service in services]), {
        "services": services,
        "items_affected": len(impact.upstream),
    }


def terms(contract: Contract, at: datetime) -> tuple[ChangesDef, str]:
    """The change management terms of the version in force at ``at``, and the reporting time zone."""
    try:
        kernel = version_in_force(contract, at).kernel()
    except ActionRefused:
        return ChangesDef(), "UTC"
    return kernel.changes, kernel.reporting_timezone


def days_of(start: datetime, end: datetime, zone: str) -> list[date]:
    tz = zoneinfo.ZoneInfo(zone)
    first, last = start.astimezone(tz).date(), (end - timedelta(microseconds=1)).astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)][:400]


def freezes_met(change: Change, services: set[str]) -> list[FreezeDef]:
    changes, zone = terms(change.contract, change.planned_start)
    days = days_of(change.planned_start, change.planned_end, zone)
    return [freeze for freeze in changes.freezes if any(freeze.covers(day, services) for day in days)]


@dataclass(frozen=True)
class Conflict:
    change: Change
    reason: str  # "same item" or "dependent item"
    items: list[str]


def conflicts_of(change: Change, user) -> list[Conflict]:
    """Other active changes of the contract whose windows overlap this one's on the same or dependent items."""
    mine = set(change.items.values_list("pk", flat=True))
    if not mine:
        return []
    graph = graph_of(change.contract_id)
    related = set(closure(mine, graph.needs)) | set(closure(mine, graph.needed_by))
    others = (
        Change.objects.visible_to(user)
        .filter(contract=change.contract, status__in=ACTIVE_STATUSES)
        .filter(Q(planned_start__lt=change.planned_end) & Q(planned_end__gt=change.planned_start))
        .exclude(pk=change.pk)
        .prefetch_related("items")
    )
    found = []
    for other in others:
        theirs = {item.pk: item.key for item in other.items.all()}
        same = sorted(key for pk, key in theirs.items() if pk in mine)
        if same:
            found.append(Conflict(other, "same item", same))
            continue
        dependent = sorted(key for pk, key in theirs.items() if pk in related)
        if dependent:
            found.append(Conflict(other, "dependent item", dependent))
    return found
