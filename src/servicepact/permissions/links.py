"""Links between tickets and merges of duplicates: seen by whoever sees both tickets, made by their handlers.

A link shows one ticket's number and title on the other's page, so it is visible only to people who see
both tickets; otherwise it would tell of a ticket they may not see. Linking is work on the ticket one
links from, and needs sight of the other; a merge closes the duplicate and adds its people to the
survivor, so it is work on both.
"""

from django.db.models import QuerySet

from servicepact.permissions.principal import Principal
from servicepact.permissions.tickets import can_see_ticket, can_work_ticket, tickets_of


def visible_links(links: QuerySet, who: Principal) -> QuerySet:
    seen = tickets_of(who).values("pk")
    return links.filter(source__in=seen).filter(target__in=seen)


def visible_merges(merges: QuerySet, who: Principal) -> QuerySet:
    seen = tickets_of(who).values("pk")
    return merges.filter(duplicate__in=seen).filter(survivor__in=seen)


def can_link_tickets(user, ticket, other=None) -> bool:
    """Links ``ticket`` to ``other`` (or, with no other yet, may link it at all): works the one, sees the other."""
    if not can_work_ticket(user, ticket):
        return False
    return other is None or can_see_ticket(user, other)


def can_unlink(user, link) -> bool:
    """Removes a link: sees both tickets and works either."""
    if not (can_see_ticket(user, link.source) and can_see_ticket(user, link.target)):
        return False
    return can_work_ticket(user, link.source) or can_work_ticket(user, link.target)


def can_merge_tickets(user, duplicate, survivor=None) -> bool:
    """Merges ``duplicate`` into ``survivor`` (or, with no survivor yet, may merge it at all): works both."""
    if not can_work_ticket(user, duplicate):
        return False
    return survivor is None or can_work_ticket(user, survivor)
