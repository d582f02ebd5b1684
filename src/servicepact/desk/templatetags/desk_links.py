"""``{% ticket_links ticket %}``: the tickets related to this one (both ways), the merges it took part in,
and, for those who may, the forms to link, remove a link and merge."""

from dataclasses import dataclass

from django import template
from django.db.models import Q

from servicepact.desk.actions.linking import CHOSEN_KINDS
from servicepact.desk.models import INVERSE_LABELS, LinkKind, Status, Ticket, TicketLink, TicketMerge
from servicepact.permissions.links import can_link_tickets, can_merge_tickets
from servicepact.permissions.tickets import can_work_ticket

register = template.Library()
KIND_LABELS = {
    LinkKind.RELATES_TO: LinkKind.RELATES_TO.label,
    LinkKind.CAUSED_BY: LinkKind.CAUSED_BY.label,
    "causes": INVERSE_LABELS[LinkKind.CAUSED_BY],
    LinkKind.DUPLICATE_OF: LinkKind.DUPLICATE_OF.label,
}


@dataclass
class Related:
    link: TicketLink
    label: str  # read from this ticket: "caused by", "causes", ...
    other: Ticket
    removable: bool


def related(user, ticket: Ticket) -> list[Related]:
    """The live links of ``ticket`` that ``user`` sees, each read from this ticket's side."""
    links = (
        TicketLink.objects.visible_to(user)
        .filter(Q(source=ticket) | Q(target=ticket), removed_at__isnull=True)
        .select_related("source", "target")
    )
    works_here = can_work_ticket(user, ticket)
    found = []
    for link in links:
        outgoing = link.source_id == ticket.pk
        other = link.target if outgoing else link.source
        label = link.get_kind_display() if outgoing else INVERSE_LABELS[link.kind]
        found.append(Related(link, str(label), other, works_here or can_work_ticket(user, other)))
    return found


@register.inclusion_tag("desk/partials/links.html", takes_context=True)
def ticket_links(context, ticket: Ticket, form_errors: dict | None = None) -> dict:
    request = context["request"]
    user = request.user
    merges = TicketMerge.objects.visible_to(user).select_related("duplicate", "survivor", "merged_by")
    merged_into = merges.filter(duplicate=ticket).first()
    merged_here = list(merges.filter(survivor=ticket))
    found = related(user, ticket)
    may_link = can_link_tickets(user, ticket)
    may_merge = ticket.status != Status.CLOSED and can_merge_tickets(user, ticket)
    return {
        "hidden": not (found or merged_into or merged_here or may_link or may_merge),
        "request": request,
        "ticket": ticket,
        "related": found,
        "merged_into": merged_into,
        "merged_here": merged_here,
        "may_link": may_link,
        "may_merge": may_merge,
        "kinds": [(kind, KIND_LABELS[kind]) for kind in CHOSEN_KINDS],
        "errors": context.get("link_errors") or {},
        "posted": context.get("link_posted") or {},
    }


@register.inclusion_tag("desk/partials/merged_banner.html", takes_context=True)
def merged_banner(context, ticket: Ticket) -> dict:
    """On a closed ticket's head: the ticket it was merged into, for those who see both."""
    merge = (
        TicketMerge.objects.visible_to(context["request"].user)
        .filter(duplicate=ticket)
        .select_related("survivor")
        .first()
    )
    return {"merge": merge}
