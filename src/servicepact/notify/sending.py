"""Sending the outbox with Django's e-mail backend: due rows, one at a time, retried with growing waits.

A sender first claims a row with a compare-and-set update that moves its turn a lease ahead and counts
the try, then talks to the mail server outside any transaction: a slow server never holds a database
lock (on SQLite that would stop every writer), and two senders never claim the same row. A sender that
dies mid-message leaves the row to come due again when the lease ends, so a message may, rarely, leave
twice, but is never lost.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from servicepact.notify.models import Outbox, OutboxStatus

logger = logging.getLogger(__name__)

MAX_TRIES = 6
# Waits after the 1st, 2nd, ... failed try: a mail server that is down for an hour loses nothing.
RETRY_WAITS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
]


def lease() -> timedelta:
    """How long a claimed message is left to its sender before another may take it (read at call time)."""
    return timedelta(seconds=settings.SERVICEPACT_MAIL_LEASE_SECONDS)


BATCH = 100


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def send_pending_messages(now: datetime | None = None, limit: int = BATCH) -> SendResult:
    """Send up to ``limit`` pending messages whose turn has come; safe to run in several workers at once."""
    now = now or timezone.now()
    result = SendResult()
    due = list(
        Outbox.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .select_related("ticket")
        .order_by("next_attempt_at", "id")[:limit]
    )
    if not due:
        return result
    mail = get_connection(fail_silently=False)
    try:
        for message in due:
            if not _claim(message, now):
                continue  # another sender took it
            outcome = _send(mail, message, now)
            setattr(result, outcome, getattr(result, outcome) + 1)
    finally:
        mail.close()
    return result


def _claim(message: Outbox, now: datetime) -> bool:
    claimed = Outbox.objects.filter(
        pk=message.pk,
        status=OutboxStatus.PENDING,
        next_attempt_at=message.next_attempt_at,
        tries=message.tries,
    ).update(next_attempt_at=now + lease(), tries=F("tries") + 1)
    message.tries += 1
    return claimed == 1


def mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"


def message_id(message: Outbox) -> str:
    """The same Message-ID at every try of one message: a receiver can tell a second copy (left by a sender
    killed between the mail server's acceptance and the row's update) from a second message."""
    return f"<outbox-{message.pk}-{int(message.created_at.timestamp())}@{mail_domain()}>"


def ticket_thread_id(number: str) -> str:
    """The id every mail about one ticket refers to, so that mail programs show them as one thread and an
    answer to any of them comes back to the ticket (servicepact.mailin reads it)."""
    return f"<ticket-{number}@{mail_domain()}>"


def headers_of(message: Outbox) -> dict[str, str]:
    # Auto-Submitted (RFC 3834) keeps out-of-office responders from answering a notice: no mail loops.
    headers = {"Message-ID": message_id(message), "Auto-Submitted": "auto-generated"}
    if message.ticket_id is not None:
        thread = ticket_thread_id(message.ticket.number)
        headers |= {"In-Reply-To": thread, "References": thread, "X-Servicepact-Ticket": message.ticket.number}
    return headers


def _send(mail, message: Outbox, now: datetime) -> str:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.recipients,
        connection=mail,
        headers=headers_of(message),
    )
    for attachment in message.attachments.all():
        email.attach(attachment.name, bytes(attachment.content), attachment.content_type)
    try:
        email.send()
    except (OSError, ValueError) as problem:  # smtplib's errors are OSErrors; a refused header a ValueError
        error = f"{type(problem).__name__}: {problem}"
        if message.tries >= MAX_TRIES:
            logger.error("giving up on message %s after %d tries: %s", message.pk, message.tries, problem)
            Outbox.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, last_error=error)
            return "failed"
        wait = RETRY_WAITS[min(message.tries, len(RETRY_WAITS)) - 1]
        Outbox.objects.filter(pk=message.pk).update(next_attempt_at=now + wait, last_error=error)
        return "retried"
    Outbox.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")
    return "sent"
