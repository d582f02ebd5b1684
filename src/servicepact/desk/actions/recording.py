"""How every ticket action writes: lock the row, check the instant, append chained events, save, refresh.

An action validates the locked, current row inside ``ticket_write``; a refusal raised there rolls the
transaction back, so a refused action changes nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.desk.hashchain import chain
from servicepact.desk.models import Ticket, TicketEvent
from servicepact.refusals import ActionRefused
from servicepact.slm.live import refresh_clocks
from servicepact.webhooks.actions import ticket_event_recorded


def instant(at: datetime | None) -> datetime:
    """The action's instant in UTC (hashes cover its ISO form, so one zone for every event)."""
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError(f"the instant of an action must be timezone-aware, got {at.isoformat()}")
    return at.astimezone(UTC)


def refuse(message: str, field: str, status: int = 422) -> None:
    raise ActionRefused(message, errors={field: [message]}, status=status)


def required_text(value: str | None, field: str, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        refuse(_("%(field)s is required.") % {"field": field}, field)
    if max_length is not None and len(text) > max_length:
        refuse(_("%(field)s is longer than %(limit)d characters.") % {"field": field, "limit": max_length}, field)
    return text


@contextmanager
def ticket_write(ticket: Ticket, at: datetime | None) -> Iterator[tuple[Ticket, datetime]]:
    """The locked, current row of ``ticket`` and the action's instant; on success the row is saved, its
    clocks refreshed, and its new state copied onto ``ticket``.

    Without a given instant the action happens now, taken once the lock is held, so that it follows
    whatever the previous holder of the lock wrote (never before it, even with clocks apart between
    hosts). A given instant earlier than the ticket's last event is refused.
    """
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if at is None:
            at = max(instant(None), locked.updated_at)
        else:
            at = instant(at)
            if at < locked.updated_at:
                refuse(
                    _(
                        "This change is dated %(at)s, before the ticket's last event at %(last)s; events stay in time order."
                    )
                    % {"at": at.isoformat(), "last": locked.updated_at.isoformat()},
                    "at",
                    status=409,
                )
        yield locked, at
        locked.save()
        refresh_clocks(locked, at)
    for field in Ticket._meta.concrete_fields:
        setattr(ticket, field.attname, getattr(locked, field.attname))


def append(ticket: Ticket, event_type: str, *, at: datetime, actor, data: dict, public: bool = True) -> TicketEvent:
    """Append one event to the locked ticket's log (the caller saves the ticket)."""
    event = TicketEvent(ticket=ticket, type=event_type, at=at, actor=actor, public=public, data=data)
    chain(ticket, event)
    event.save()
    ticket.updated_at = at
    ticket_event_recorded(ticket, event)
    return event
