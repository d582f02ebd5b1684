"""Writes to the outbox: queueing a message, in the caller's transaction, and waking the sender on commit."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from servicepact.desk.models import Ticket
from servicepact.notify.models import Outbox
from servicepact.notify.tasks import send_pending
from servicepact.runtime.queueing import enqueue_unless_waiting

SUBJECT_MAX = Outbox._meta.get_field("subject").max_length

# While past history is replayed (the demo's simulator), changes are recorded but nobody is told.
_silenced: ContextVar[bool] = ContextVar("notifications_silenced", default=False)


@contextmanager
def silenced() -> Iterator[None]:
    """Queue no message inside this block: the events happened long ago and were never news."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def notifications_silenced() -> bool:
    """Whether the caller runs inside ``silenced()`` (webhooks and pages keep quiet there too)."""
    return _silenced.get()


def enqueue_notification(
    *,
    recipients: Iterable[str],
    subject: str,
    body: str,
    ticket: Ticket | None = None,
    key: str = "",
    at: datetime | None = None,
) -> Outbox | None:
    """Queue one message to ``recipients``; None when there is nobody to tell or ``key`` is queued already.

    Raises ValueError naming the bad recipient or field. The message leaves only if the caller's
    transaction commits, which is the point: no mail about a change that was rolled back.
    """
    addresses = _addresses(recipients)
    if not addresses or _silenced.get():
        return None
    subject = " ".join((subject or "").split())
    if not subject:
        raise ValueError("subject: a message needs a subject")
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    if key and Outbox.objects.filter(key=key).exists():
        return None
    at = at or timezone.now()
    message = Outbox.objects.create(
        recipients=addresses,
        subject=subject,
        body=body,
        ticket=ticket,
        key=key,
        created_at=at,
        next_attempt_at=at,
    )
    transaction.on_commit(_wake_sender)
    return message


def _addresses(recipients: Iterable[str]) -> list[str]:
    """Distinct addresses in the order given; a bad one is refused by name."""
    addresses: list[str] = []
    for position, address in enumerate(recipients):
        address = (address or "").strip()
        try:
            validate_email(address)
        except ValidationError:
            raise ValueError(f"recipients[{position}]: {address!r} is not an e-mail address") from None
        if address.lower() not in (known.lower() for known in addresses):
            addresses.append(address)
    return addresses


def _wake_sender() -> None:
    # One waiting send covers every message committed before it starts: not one task per message.
    enqueue_unless_waiting(send_pending)
