"""Sending the outbox with Django's e-mail backend: due rows, one at a time, retried with growing waits."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from servicepact.notify.models import Outbox, OutboxStatus

logger = logging.getLogger(__name__)

MAX_TRIES = 6
# Waits after the 1st, 2nd, ... failed try: a mail server that is down for an hour loses nothing.
RETRY_WAITS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4)]
BATCH = 100


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def send_pending_messages(now: datetime | None = None, limit: int = BATCH) -> SendResult:
    """Send up to ``limit`` pending messages whose turn has come; safe to run in several workers at once.

    Each row is claimed under its row lock (SKIP LOCKED where the database has it), so two senders never
    send the same message; the SMTP conversation happens inside that short transaction, one row at a time.
    """
    now = now or timezone.now()
    result = SendResult()
    mail = get_connection(fail_silently=False)
    try:
        for _turn in range(limit):
            outcome = _send_next(mail, now)
            if outcome is None:
                break
            setattr(result, outcome, getattr(result, outcome) + 1)
    finally:
        mail.close()
    return result


def _send_next(mail, now: datetime) -> str | None:
    with transaction.atomic():
        due = Outbox.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        message = due.first()
        if message is None:
            return None
        email = EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
            to=message.recipients, connection=mail,
        )
        message.tries += 1
        try:
            email.send()
        except (OSError, ValueError) as problem:  # smtplib's errors are OSErrors; a refused header a ValueError
            message.last_error = f"{type(problem).__name__}: {problem}"
            if message.tries >= MAX_TRIES:
                message.status = OutboxStatus.FAILED
                logger.error("giving up on message %s after %d tries: %s", message.pk, message.tries, problem)
                outcome = "failed"
            else:
                message.next_attempt_at = now + RETRY_WAITS[min(message.tries, len(RETRY_WAITS)) - 1]
                outcome = "retried"
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            outcome = "sent"
        message.save(update_fields=["tries", "status", "sent_at", "last_error", "next_attempt_at"])
        return outcome
