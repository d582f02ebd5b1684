"""Writes to the outbox: queueing a message, in the caller's transaction, and waking the sender on commit."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from servicepact.desk.models import Ticket
from servicepact.notify.models import Outbox, OutboxAttachment
from servicepact.notify.tasks import send_pending
from servicepact.runtime.queueing import enqueue_unless_waiting

SUBJECT_MAX = Outbox._meta.get_field("subject").max_length
ATTACHMENT_NAME_MAX = OutboxAttachment._meta.get_field("name").max_length
# What one message may carry in all: mail servers commonly refuse more than 25 MB once encoded.
ATTACHMENTS_MAX_BYTES = 18 * 1024 * 1024


@dataclass(frozen=True)
class Attachment:
    """A file to send with a message: its name, its bytes and their content type."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


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
    attachments: Sequence[Attachment] = (),
) -> Outbox | None:
    """Queue one message to ``recipients``; None when there is nobody to tell or ``key`` is queued already.

    ``attachments`` are stored with the message, in the same transaction, and sent with it at every try.
    Raises ValueError naming the bad recipient or field. The message leaves only if the caller's
    transaction commits, which is the point: no mail about a change that was rolled back.
    """
    addresses = _addresses(recipients)
    if not addresses or _silenced.get():
        return None
    _check_attachments(attachments)
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
    OutboxAttachment.objects.bulk_create(
        OutboxAttachment(
            message=message,
            position=position,
            name=attachment.name,
            content_type=attachment.content_type,
            content=bytes(attachment.content),
            size=len(attachment.content),
        )
        for position, attachment in enumerate(attachments)
    )
    transaction.on_commit(_wake_sender)
    return message


def _check_attachments(attachments: Sequence[Attachment]) -> None:
    """Refuse, by position, an attachment without a name or bytes, or files too large to mail together."""
    total = 0
    for position, attachment in enumerate(attachments):
        name = attachment.name or ""
        if not name.strip() or len(name) > ATTACHMENT_NAME_MAX or "/" in name or "\\" in name:
            raise ValueError(
                f"attachments[{position}].name: {name!r} is not a file name of 1 to {ATTACHMENT_NAME_MAX} characters"
            )
        if not isinstance(attachment.content, bytes | bytearray):
            raise ValueError(
                f"attachments[{position}].content: bytes expected, not {type(attachment.content).__name__}"
            )
        if "/" not in (attachment.content_type or ""):
            raise ValueError(f"attachments[{position}].content_type: {attachment.content_type!r} is not a content type")
        total += len(attachment.content)
    if total > ATTACHMENTS_MAX_BYTES:
        raise ValueError(
            f"attachments: {total} bytes in all, more than the {ATTACHMENTS_MAX_BYTES} a message may carry"
        )


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
