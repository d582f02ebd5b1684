"""Reading the CMDB: impact analysis over the relationships and the layered graph the item page draws.

An edge ``source -> target`` says the source needs the target: when the target fails, the source is
affected. From an item, *upstream* is everything that needs it, directly or not (what fails with it);
*downstream* is everything it needs. Both are closures over the contract's relationships, read in one
query and walked in memory.
"""

from collections import deque
from dataclasses import dataclass, field

from django.db.models import Q

from servicepact.cmdb.classes import ItemClass
from servicepact.cmdb.models import ConfigurationItem, Relationship, TicketItem
from servicepact.desk.models import Ticket
from servicepact.desk.models.choices import OPEN_STATUSES


@dataclass
class Graph:
    """A contract's relationships as adjacency: ``needs[a]`` the items a needs, ``needed_by[a]`` those needing a."""

    needs: dict[int, set[int]] = field(default_factory=dict)
    needed_by: dict[int, set[int]] = field(default_factory=dict)
    edges: list[tuple[int, int, str]] = field(default_factory=list)


def graph_of(contract_id: int) -> Graph:
    graph = Graph()
    rows = Relationship.objects.filter(source__contract_id=contract_id).values_list("source_id", "target_id", "kind")
    for source, target, kind in rows:
        graph.needs.setdefault(source, set()).add(target)
        graph.needed_by.setdefault(target, set()).add(source)
        graph.edges.append((source, target, kind))
    return graph


def closure(start: set[int], adjacency: dict[int, set[int]]) -> dict[int, int]:
    """Every item reachable from ``start`` (not counting the start itself) with its distance."""
    seen: dict[int, int] = {}
    queue = deque((item, 0) for item in start)
    while queue:
        item, depth = queue.popleft()
        for other in adjacency.get(item, ()):
            if other not in seen and other not in start:
                seen[other] = depth + 1
                queue.append((other, depth + 1))
    return seen


@dataclass
class Impact:
    items: list[ConfigurationItem]  # the items analysed
    upstream: list[ConfigurationItem]  # what fails with them
    downstream: list[ConfigurationItem]  # what they need
    services: list[ConfigurationItem]  # the business services affected (the items themselves included)
    tickets: list[Ticket]  # open tickets on the affected items or services, that the reader may see
    depth: dict[int, int]  # upstream items: negative distance; downstream: positive; the items: 0
    edges: list[tuple[int, int, str]]  # the relationships among all of them


def impact_of(items: list[ConfigurationItem], user, *, graph: Graph | None = None) -> Impact:
    """What is affected if ``items`` fail, and what they depend on, as ``user`` may see it."""
    if not items:
        return Impact([], [], [], [], [], {}, [])
    graph = graph or graph_of(items[0].contract_id)
    start = {item.pk for item in items}
    up = closure(start, graph.needed_by)
    down = closure(start, graph.needs)
    wanted = start | set(up) | set(down)
    found = {
        item.pk: item
        for item in ConfigurationItem.objects.visible_to(user)
        .filter(pk__in=wanted)
        .select_related("service", "owner_team")
    }
    upstream = sorted((found[pk] for pk in up if pk in found), key=lambda item: (up[item.pk], item.tier, item.key))
    downstream = sorted((found[pk] for pk in down if pk in found), key=lambda item: (down[item.pk], item.key))
    affected = [found[pk] for pk in start if pk in found] + upstream
    services = sorted(
        (item for item in affected if item.item_class == ItemClass.BUSINESS_SERVICE),
        key=lambda item: (item.tier, item.key),
    )
    affected_ids = [item.pk for item in affected]
    service_ids = [item.service_id for item in services]
    linked = TicketItem.objects.filter(item_id__in=affected_ids).values("ticket_id")
    tickets = list(
        Ticket.objects.visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(pk__in=linked) | Q(service_id__in=service_ids))
        .order_by("priority", "number")[:200]
    )
    depth = {pk: 0 for pk in start} | {pk: -d for pk, d in up.items()} | dict(down.items())
    shown = set(found)
    edges = [edge for edge in graph.edges if edge[0] in shown and edge[1] in shown]
    return Impact([found[pk] for pk in start if pk in found], upstream, downstream, services, tickets, depth, edges)


def affected_services(items: list[ConfigurationItem], user) -> list[ConfigurationItem]:
    """The business services that fail if ``items`` fail (a change's risk comes from their tiers)."""
    return impact_of(items, user).services
