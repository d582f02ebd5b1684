"""Links between tickets: made from one ticket to another with a kind, seen from both, removed with a reason.

A link is a record of its own with a history (``history.record``), not an event of either ticket's log:
the log is the SLA's, and relating two tickets changes no clock. Removing a link keeps its row, marked
removed with who, when and why, and adds that to its history.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.desk.actions.recording import refuse, required_text
from servicepact.desk.models import LinkKind, Ticket, TicketLink
from servicepact.history.actions import record
from servicepact.permissions.links import can_link_tickets, can_unlink

REASON_MAX = 500
# What a person may choose: the stored kinds, and "causes", which is "caused by" read from the other side.
CAUSES = "causes"
CHOSEN_KINDS = (LinkKind.RELATES_TO, LinkKind.CAUSED_BY, CAUSES, LinkKind.DUPLICATE_OF)


def active_link_between(first: Ticket, second: Ticket) -> TicketLink | None:
    pair = Q(source=first, target=second) | Q(source=second, target=first)
    return TicketLink.objects.filter(pair, removed_at__isnull=True).select_related("source", "target").first()


def link_tickets(ticket: Ticket, *, actor: User, other: Ticket, kind: str, reason: str = "") -> TicketLink:
    """Relate ``ticket`` to ``other``: "``ticket`` <kind> ``other``" (relates to, caused by, causes,
    duplicate of). One link per pair of tickets at a time."""
    if not can_link_tickets(actor, ticket, other):
        raise PermissionDenied(_("You may not link these tickets."))
    if kind not in CHOSEN_KINDS:
        refuse(
            _("Unknown kind of link %(kind)s; choose one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(str(choice) for choice in CHOSEN_KINDS)},
            "kind",
        )
    if other.pk == ticket.pk:
        refuse(_("A ticket cannot be linked to itself."), "target")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        refuse(_("%(field)s is longer than %(limit)d characters.") % {"field": "reason", "limit": REASON_MAX}, "reason")
    source, target, stored = (other, ticket, LinkKind.CAUSED_BY) if kind == CAUSES else (ticket, other, kind)
    now = timezone.now()
    try:
        with transaction.atomic():
            existing = active_link_between(source, target)
            if existing is not None:
                refuse(
                    _(
                        "%(first)s and %(second)s are already linked (%(source)s %(kind)s %(target)s); remove that link first."
                    )
                    % {
                        "first": ticket.number,
                        "second": other.number,
                        "source": existing.source.number,
                        "kind": existing.get_kind_display(),
                        "target": existing.target.number,
                    },
                    "target",
                    409,
                )
            link = TicketLink.objects.create(
                source=source, target=target, kind=stored, reason=reason, created_by=actor, created_at=now
            )
            record(
                link,
                type="linked",
                actor=actor,
                at=now,
                data={"source": source.number, "target": target.number, "kind": str(stored), "reason": reason},
            )
    except IntegrityError:
        refuse(_("These tickets were linked at the same moment by someone else."), "target", 409)
    return link


def unlink(link: TicketLink, *, actor: User, reason: str) -> TicketLink:
    """Remove a link, saying why; the link stays in the record, marked removed."""
    if not can_unlink(actor, link):
        raise PermissionDenied(_("You may not remove this link."))
    text = required_text(reason, "reason", REASON_MAX)
    now = timezone.now()
    with transaction.atomic():
        locked = TicketLink.objects.select_for_update().get(pk=link.pk)
        if locked.removed_at is not None:
            refuse(_("This link was already removed."), "link", 409)
        locked.removed_at, locked.removed_by, locked.removal_reason = now, actor, text
        locked.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        record(
            locked,
            type="unlinked",
            actor=actor,
            at=now,
            data={"source": link.source.number, "target": link.target.number, "kind": link.kind, "reason": text},
        )
    link.removed_at, link.removed_by, link.removal_reason = locked.removed_at, actor, text
    return link
