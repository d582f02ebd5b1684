"""The event log with its hashes, as offline verification reads it (``servicepact events export --chain``).

One JSON object per line (canonical: keys sorted, no whitespace): each ticket event exactly as its hash
covers it plus the hash, and, in the whole export, each issued ticket number the same way
(servicepact/evidence/verification.py says which fields). Tickets in number order, each one's events in
sequence order; then the ledger, kind by kind.

For a person, an event they may not read (an internal note to a customer's manager, any event of a ticket
outside their sight) keeps only its place in the chain: ticket, seq, prev and hash, marked ``redacted``.
Its hash still commits to its content; the events they may read are proved unchanged, and none removed.
"""

from collections.abc import Iterator
from datetime import UTC

import orjson
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value

from servicepact.desk.models import IssuedNumber, Ticket, TicketEvent

CHUNK = 5000


def event_lines(tickets: QuerySet[Ticket], *, readable: QuerySet[TicketEvent] | None = None) -> Iterator[dict]:
    """The events of ``tickets`` with their hashes; with ``readable``, only those events keep their content."""
    events = TicketEvent.objects.filter(ticket__in=tickets.values("pk"))
    if readable is None:
        events = events.annotate(readable=Value(True, output_field=BooleanField()))
    else:
        events = events.annotate(
            readable=ExpressionWrapper(Q(pk__in=readable.values("pk")), output_field=BooleanField())
        )
    rows = events.order_by("ticket__number", "seq").values_list(
        "ticket__number",
        "seq",
        "type",
        "at",
        "actor_id",
        "public",
        "data",
        "prev_hash",
        "hash",
        "readable",
    )
    for number, seq, event_type, at, actor, public, data, prev_hash, digest, can_read in rows.iterator(
        chunk_size=CHUNK
    ):
        if not can_read:
            yield {"ticket": number, "seq": seq, "prev": prev_hash, "hash": digest, "redacted": True}
            continue
        yield {
            "ticket": number,
            "seq": seq,
            "type": event_type,
            "at": at.astimezone(UTC).isoformat(),
            "actor": actor,
            "public": public,
            "data": data,
            "prev": prev_hash,
            "hash": digest,
        }


def contract_lines(contract, user) -> Iterator[dict]:
    """A contract's events for a reader of its reports: every ticket's chain (the checkpoint's copy names
    them all), with the content of only the events ``user`` may see (``TicketEvent.objects.visible_to``)."""
    return event_lines(Ticket.objects.filter(contract=contract), readable=TicketEvent.objects.visible_to(user))


def ledger_lines() -> Iterator[dict]:
    rows = IssuedNumber.objects.order_by("kind", "value").values_list(
        "kind",
        "value",
        "number",
        "issued_at",
        "prev_hash",
        "hash",
    )
    for kind, value, number, issued_at, prev_hash, digest in rows.iterator(chunk_size=CHUNK):
        yield {
            "kind": kind,
            "value": value,
            "number": number,
            "issued_at": issued_at.astimezone(UTC).isoformat() if issued_at else None,
            "prev": prev_hash,
            "hash": digest,
        }


def all_lines() -> Iterator[dict]:
    """The whole database: every ticket's events and the ledger."""
    yield from event_lines(Ticket.objects.all())
    yield from ledger_lines()


def encode(line: dict) -> bytes:
    return orjson.dumps(line, option=orjson.OPT_SORT_KEYS) + b"\n"


class ExportError(ValueError):
    """A line of an export that is not a JSON object; the message names the line."""


def read_export(path: str) -> Iterator[dict]:
    """The lines of an ``events export --chain`` file, one dict each; ExportError names a bad line."""
    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                line = orjson.loads(raw)
            except orjson.JSONDecodeError as problem:
                raise ExportError(f"{path}:{number}: not JSON: {problem}") from None
            if not isinstance(line, dict):
                raise ExportError(f"{path}:{number}: not a JSON object")
            yield line
