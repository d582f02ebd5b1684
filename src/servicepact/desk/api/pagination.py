"""Cursor pagination of ticket lists: stable under inserts, opaque to clients.

The cursor encodes the sort key of the last ticket of a page, (due_at, id) or (created_at, id), and
the order it belongs to; the next page starts strictly after it.
"""

import base64
import json
from datetime import datetime
from enum import StrEnum

from django.db.models import F, Q, QuerySet

from servicepact.refusals import ActionRefused

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class TicketOrder(StrEnum):
    DUE = "due"  # the earliest due first, tickets without a running clock last
    NEWEST = "-created"  # the most recently created first


def _bad_cursor() -> ActionRefused:
    return ActionRefused("The cursor is not valid.", errors={"cursor": ["Use the `next` link of the previous page."]})


def encode_cursor(order: TicketOrder, value: datetime | None, pk: int) -> str:
    raw = json.dumps([order.value, value.isoformat() if value else None, pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: TicketOrder) -> tuple[datetime | None, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        cursor_order, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        instant = datetime.fromisoformat(value) if value is not None else None
        # a key the database column can hold: a larger one is no cursor this API wrote
        if (
            cursor_order != order.value
            or type(pk) is not int
            or not 0 <= pk < 2**63
            or (instant and instant.tzinfo is None)
        ):
            raise ValueError(cursor)
    except (ValueError, TypeError, RecursionError):
        raise _bad_cursor() from None
    if order is TicketOrder.NEWEST and instant is None:
        raise _bad_cursor()
    return instant, pk


def ordered(tickets: QuerySet, order: TicketOrder) -> QuerySet:
    if order is TicketOrder.DUE:
        return tickets.order_by(F("due_at").asc(nulls_last=True), "id")
    return tickets.order_by("-created_at", "-id")


def after(tickets: QuerySet, order: TicketOrder, cursor: str) -> QuerySet:
    """The tickets that come strictly after the cursor in ``order``."""
    value, pk = decode_cursor(cursor, order)
    if order is TicketOrder.NEWEST:
        return tickets.filter(Q(created_at__lt=value) | Q(created_at=value, id__lt=pk))
    if value is None:
        return tickets.filter(due_at__isnull=True, id__gt=pk)
    return tickets.filter(Q(due_at__gt=value) | Q(due_at=value, id__gt=pk) | Q(due_at__isnull=True))


def page(tickets: QuerySet, order: TicketOrder, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of ``tickets`` and the cursor of the next page (None on the last page)."""
    if cursor:
        tickets = after(tickets, order, cursor)
    rows = list(ordered(tickets, order)[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    value = last.due_at if order is TicketOrder.DUE else last.created_at
    return rows, encode_cursor(order, value, last.pk)
