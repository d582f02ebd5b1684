"""A ticket's related tickets and merges in the API: list and make links, remove one, merge a duplicate.

Its own router (tags "tickets"), added to the API beside the desk's; the paths are the ticket's.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from servicepact.desk.actions.linking import CHOSEN_KINDS, REASON_MAX, link_tickets, unlink
from servicepact.desk.actions.merging import merge_tickets
from servicepact.desk.api.access import on_ticket
from servicepact.desk.models import INVERSE_LABELS, Ticket, TicketLink, TicketMerge
from servicepact.idempotency.keys import idempotent
from servicepact.permissions import can_work_ticket
from servicepact.permissions.links import can_link_tickets, can_merge_tickets
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema

router = Router(tags=["tickets"])
KINDS = ", ".join(str(kind) for kind in CHOSEN_KINDS)


class LinkIn(InputSchema):
    kind: str = Field(..., max_length=16, description=f"How this ticket relates to the other: one of {KINDS}.")
    target: str = Field(..., max_length=16, description="The other ticket's number.")
    reason: str = Field("", max_length=REASON_MAX)


class UnlinkIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


class MergeIn(InputSchema):
    survivor: str = Field(..., max_length=16, description="The number of the ticket that survives the merge.")
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


class LinkOut(Schema):
    id: int
    kind: str = Field(description="How this ticket relates to `ticket`, read from this ticket.")
    ticket: str = Field(description="The other ticket's number.")
    title: str
    status: str
    reason: str
    created_by: str
    created_at: datetime


class MergeOut(Schema):
    duplicate: str
    survivor: str
    reason: str
    merged_by: str
    merged_at: datetime


def _link_out(link: TicketLink, ticket: Ticket) -> dict:
    outgoing = link.source_id == ticket.pk
    other = link.target if outgoing else link.source
    return {
        "id": link.pk,
        "kind": link.kind if outgoing else str(INVERSE_LABELS[link.kind]).replace(" ", "_"),
        "ticket": other.number,
        "title": other.title,
        "status": other.status,
        "reason": link.reason,
        "created_by": link.created_by.email,
        "created_at": link.created_at,
    }


def _merge_out(merge: TicketMerge) -> dict:
    return {
        "duplicate": merge.duplicate.number,
        "survivor": merge.survivor.number,
        "reason": merge.reason,
        "merged_by": merge.merged_by.email,
        "merged_at": merge.merged_at,
    }


def _other(request: HttpRequest, number: str, field: str) -> Ticket:
    other = Ticket.objects.visible_to(request.auth).filter(number=number.strip().upper()).first()
    if other is None:
        raise ActionRefused(f"No ticket '{number}'.", errors={field: [f"No ticket '{number}' among those you see."]})
    return other


@router.get(
    "/tickets/{number}/links",
    response=list[LinkOut],
    summary="A ticket's related tickets",
    operation_id="list_ticket_links",
)
@on_ticket(None, "Anyone who may see the ticket; only links to tickets they also see.")
def list_ticket_links(request: HttpRequest, ticket: Ticket):
    """The live links of the ticket, each read from it: `caused_by`, `causes`, `relates_to`, `duplicate_of`,
    `has_duplicate`."""
    links = (
        TicketLink.objects.visible_to(request.auth)
        .filter(Q(source=ticket) | Q(target=ticket), removed_at__isnull=True)
        .select_related("source", "target", "created_by")
    )
    return [_link_out(link, ticket) for link in links]


@router.post(
    "/tickets/{number}/links",
    response={201: LinkOut},
    summary="Link a ticket to another",
    operation_id="link_ticket",
)
@on_ticket(can_link_tickets, "Those who work the ticket, to a ticket they see.")
@idempotent
def link_ticket(request: HttpRequest, ticket: Ticket, payload: LinkIn):
    other = _other(request, payload.target, "target")
    link = link_tickets(ticket, actor=request.auth, other=other, kind=payload.kind, reason=payload.reason)
    return Status(201, _link_out(link, ticket))


@router.post(
    "/tickets/{number}/links/{link_id}/remove",
    response=LinkOut,
    summary="Remove a link, with a reason",
    operation_id="remove_ticket_link",
)
@on_ticket(can_work_ticket, "Those who work either ticket and see both.")
def remove_ticket_link(request: HttpRequest, ticket: Ticket, link_id: int, payload: UnlinkIn):
    link = (
        TicketLink.objects.visible_to(request.auth)
        .filter(Q(source=ticket) | Q(target=ticket), pk=link_id, removed_at__isnull=True)
        .select_related("source", "target", "created_by")
        .first()
    )
    if link is None:
        raise ActionRefused(
            "No such link.", errors={"link_id": [f"The ticket has no live link {link_id}."]}, status=404
        )
    unlink(link, actor=request.auth, reason=payload.reason)
    return _link_out(link, ticket)


@router.post(
    "/tickets/{number}/merge",
    response=MergeOut,
    summary="Merge a duplicate into another ticket",
    operation_id="merge_ticket",
)
@on_ticket(can_merge_tickets, "Those who work both tickets.")
def merge_ticket(request: HttpRequest, ticket: Ticket, payload: MergeIn):
    """Closes this ticket as a duplicate of `survivor` (its clocks stop now); its requester and watchers
    follow the survivor. Refused into itself, into a closed ticket, or across contracts."""
    survivor = _other(request, payload.survivor, "survivor")
    if not can_merge_tickets(request.auth, ticket, survivor):
        raise PermissionDenied("can_merge_tickets")
    merge = merge_tickets(ticket, actor=request.auth, survivor=survivor, reason=payload.reason)
    return _merge_out(merge)
