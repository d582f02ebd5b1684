"""Merging a duplicate into the ticket that survives it.

The duplicate keeps every event. It gets an internal note naming the survivor and the reason, and is
closed by the kernel's own ``closed`` status event, which stops its clocks at the merge like any closure:
the time until then counts, per the SLA specification (docs/measures.md, "Merged duplicates"). Its
requester and watchers follow the survivor from then on, which records the merge in an internal note and
keeps its own clocks. The merge is written once (``TicketMerge``, guarded in the database, with a history
entry) and cannot be undone: a closed ticket never changes.
"""

from contextlib import ExitStack
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.desk.actions.linking import REASON_MAX, active_link_between
from servicepact.desk.actions.notices import tell, watchers
from servicepact.desk.actions.recording import append, instant, refuse, required_text, ticket_write
from servicepact.desk.models import EventType, LinkKind, Status, Ticket, TicketLink, TicketMerge
from servicepact.history.actions import record
from servicepact.permissions.links import can_merge_tickets


def survivor_of(ticket: Ticket) -> Ticket:
    """The ticket that finally holds ``ticket``'s conversation: itself, or the survivor of its merges."""
    seen = {ticket.pk}
    merge = TicketMerge.objects.filter(duplicate=ticket).select_related("survivor").first()
    while merge is not None and merge.survivor_id not in seen:
        ticket = merge.survivor
        seen.add(ticket.pk)
        merge = TicketMerge.objects.filter(duplicate=ticket).select_related("survivor").first()
    return ticket


def _check(duplicate: Ticket, survivor: Ticket) -> None:
    if duplicate.pk == survivor.pk:
        refuse(_("A ticket cannot be merged into itself."), "survivor")
    if duplicate.contract_id != survivor.contract_id:
        refuse(
            _("%(duplicate)s and %(survivor)s are under different contracts; only tickets of one contract merge.")
            % {"duplicate": duplicate.number, "survivor": survivor.number},
            "survivor",
        )
    if survivor.status == Status.CLOSED:
        refuse(
            _("%(survivor)s is closed; merge into an open or resolved ticket.") % {"survivor": survivor.number},
            "survivor",
            409,
        )
    if duplicate.status == Status.CLOSED:
        merged = TicketMerge.objects.filter(duplicate=duplicate).select_related("survivor").first()
        message = (
            _("%(duplicate)s was already merged into %(survivor)s.")
            % {"duplicate": duplicate.number, "survivor": merged.survivor.number}
            if merged
            else _("%(duplicate)s is closed; a closed ticket never changes.") % {"duplicate": duplicate.number}
        )
        refuse(message, "duplicate", 409)


def merge_tickets(
    duplicate: Ticket, *, actor: User, survivor: Ticket, reason: str, at: datetime | None = None
) -> TicketMerge:
    """Merge ``duplicate`` into ``survivor``, with a reason; both under one contract, the survivor not closed."""
    if not can_merge_tickets(actor, duplicate, survivor):
        raise PermissionDenied(_("You may not merge these tickets."))
    text = required_text(reason, "reason", REASON_MAX)
    _check(duplicate, survivor)
    when = instant(at) if at is not None else None
    with ExitStack() as stack:
        # Both rows locked, always in the same order, so that two merges of the same pair never deadlock.
        locked: dict[int, tuple[Ticket, datetime]] = {}
        for ticket in sorted((duplicate, survivor), key=lambda ticket: ticket.pk):
            locked[ticket.pk] = stack.enter_context(ticket_write(ticket, when))
        dup, at = locked[duplicate.pk]
        surv, survivor_at = locked[survivor.pk]
        _check(dup, surv)  # again, on the locked rows: another merge may have closed either meanwhile
        append(
            dup,
            EventType.NOTE,
            at=at,
            actor=actor,
            public=False,
            data={
                "body": _("Merged into %(survivor)s: %(reason)s") % {"survivor": surv.number, "reason": text},
                "merged_into": surv.number,
            },
        )
        append(
            dup,
            EventType.STATUS,
            at=at,
            actor=actor,
            data={"status": Status.CLOSED, "reason": text, "merged_into": surv.number},
        )
        dup.status, dup.closed_at = Status.CLOSED, at
        append(
            surv,
            EventType.NOTE,
            at=survivor_at,
            actor=actor,
            public=False,
            data={
                "body": _("%(duplicate)s was merged into this ticket: %(reason)s")
                % {"duplicate": dup.number, "reason": text},
                "merged_from": dup.number,
            },
        )
        following = {surv.requester_id, *surv.watchers.values_list("pk", flat=True)}
        newcomers = [dup.requester, *dup.watchers.all()]
        for person in newcomers:
            if person.pk in following or not person.is_active:
                continue
            following.add(person.pk)
            append(
                surv,
                EventType.WATCHER,
                at=survivor_at,
                actor=actor,
                public=False,
                data={"watcher": person.email, "change": "added", "merged_from": dup.number},
            )
            surv.watchers.add(person)
        merge = TicketMerge.objects.create(duplicate=dup, survivor=surv, reason=text, merged_by=actor, merged_at=at)
        if active_link_between(dup, surv) is None:
            link = TicketLink.objects.create(
                source=dup, target=surv, kind=LinkKind.DUPLICATE_OF, reason=text, created_by=actor, created_at=at
            )
            record(
                link,
                type="linked",
                actor=actor,
                at=at,
                data={"source": dup.number, "target": surv.number, "kind": str(LinkKind.DUPLICATE_OF), "reason": text},
            )
        record(
            merge,
            type="merged",
            actor=actor,
            at=at,
            data={"duplicate": dup.number, "survivor": surv.number, "reason": text},
        )
        body = _("%(duplicate)s was merged into %(survivor)s, where the work goes on: %(reason)s") % {
            "duplicate": dup.number,
            "survivor": surv.number,
            "reason": text,
        }
        tell(dup, recipients=[dup.requester, *watchers(dup)], actor=actor, at=at, what=_("merged"), body=body)
    return merge
