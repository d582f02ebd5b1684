"""Sending deliveries: due rows, one at a time, retried with exponentially growing waits.

Like the mail outbox (``notify.sending``), a sender claims a row with a compare-and-set update that moves
its turn a lease ahead and counts the try, then posts outside any transaction, so a slow receiver holds no
database lock and two senders never post the same try. A receiver answering 2xx has it; anything else
(another status, a refused connection, a timeout) is retried after 1 min, 2, 4, 8... up to
``MAX_TRIES``, then the delivery is marked failed. Each delivery has an id (header
``Servicepact-Delivery``) so a receiver can drop a repeat.
"""

import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from servicepact.webhooks.models import Delivery, DeliveryStatus
from servicepact.webhooks.signing import HEADER, body_of, signature

logger = logging.getLogger(__name__)

MAX_TRIES = 8
FIRST_WAIT = timedelta(minutes=1)
LEASE = timedelta(minutes=5)
TIMEOUT_S = 10
BATCH = 100


def retry_wait(tries: int) -> timedelta:
    """The wait after the ``tries``-th failed try: 1 min, 2, 4, 8, ... (exponential backoff)."""
    return FIRST_WAIT * (2 ** (tries - 1))


@dataclass
class SendResult:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def send_due(now: datetime | None = None, limit: int = BATCH) -> SendResult:
    now = now or timezone.now()
    result = SendResult()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .select_related("endpoint")
        .order_by("next_attempt_at", "id")[:limit]
    )
    for delivery in due:
        if not _claim(delivery, now):
            continue
        outcome = _post(delivery, now)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _claim(delivery: Delivery, now: datetime) -> bool:
    claimed = Delivery.objects.filter(
        pk=delivery.pk,
        status=DeliveryStatus.PENDING,
        next_attempt_at=delivery.next_attempt_at,
        tries=delivery.tries,
    ).update(next_attempt_at=now + LEASE, tries=F("tries") + 1)
    delivery.tries += 1
    return claimed == 1


def _post(delivery: Delivery, now: datetime) -> str:
    endpoint = delivery.endpoint
    body = body_of(delivery.payload)
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "servicepact-webhooks/1",
            "Servicepact-Event": delivery.event,
            "Servicepact-Delivery": str(delivery.pk),
            HEADER: signature(endpoint.secret, int(time.time()), body),
        },
    )
    status, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:  # noqa: S310 (http and https only)
            status = answer.status
    except urllib.error.HTTPError as problem:
        status, error = problem.code, f"HTTP {problem.code} {problem.reason}"
    except (OSError, ValueError) as problem:  # refused, unreachable, timed out, a bad address
        error = f"{type(problem).__name__}: {problem}"
    if status is not None and 200 <= status < 300:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.DELIVERED, delivered_at=timezone.now(), response_status=status, last_error=""
        )
        return "delivered"
    if delivery.tries >= MAX_TRIES:
        logger.error("giving up on webhook delivery %s after %d tries: %s", delivery.pk, delivery.tries, error)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, response_status=status, last_error=error[:2000]
        )
        return "failed"
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=now + retry_wait(delivery.tries), response_status=status, last_error=error[:2000]
    )
    return "retried"
