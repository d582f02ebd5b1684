"""The hash chain of a ticket's event log: each event's hash covers its content and the previous hash.

A changed, removed or reordered event breaks the chain from that event on, which ``verify_events``
reports; the ticket row keeps the chain's tail (``event_count``, ``last_hash``) so that a removed last
event shows too. Each event's stored canonical line (what reports hash and replay) is not under the hash,
so ``verify_events`` also computes it afresh from the hashed content and reports a line that differs.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from servicepact.desk.eventlog import canonical_line
from servicepact.desk.models import Ticket, TicketEvent


@dataclass(frozen=True)
class ChainBreak:
    ticket: str
    seq: int
    problem: str
    expected: str
    stored: str

    def __str__(self) -> str:
        return f"{self.ticket} #{self.seq}: {self.problem}: expected {self.expected}, stored {self.stored}"


def chain(ticket: Ticket, event: TicketEvent) -> None:
    """Give ``event`` the next place in ``ticket``'s log and its hash, and move the ticket's tail on."""
    event.seq = ticket.event_count + 1
    event.prev_hash = ticket.last_hash
    event.hash = event.compute_hash(ticket.number)
    if isinstance(event, TicketEvent):  # a bulk writer's plain record leaves it to the reader
        event.canonical = stored_canonical_line(ticket.number, event)
    ticket.event_count = event.seq
    ticket.last_hash = event.hash


def stored_canonical_line(number: str, event: TicketEvent) -> bytes | None:
    """What ``TicketEvent.canonical`` keeps; None (computed when read) for data the kernel cannot map, which
    the report then refuses as it always did."""
    try:
        return canonical_line(number, event.type, event.at, event.data)
    except (KeyError, TypeError, AttributeError):
        return None


def verify_events(
    number: str, events: Iterable[TicketEvent], *, event_count: int, last_hash: str
) -> Iterator[ChainBreak]:
    """Every break in one ticket's events (given in ``seq`` order) and in the tail kept on its row."""
    expected_seq = 1
    previous_hash = ""
    for event in events:
        if event.seq != expected_seq:
            yield ChainBreak(number, event.seq, "sequence gap", str(expected_seq), str(event.seq))
        if event.prev_hash != previous_hash:
            yield ChainBreak(number, event.seq, "previous hash", previous_hash or "(none)", event.prev_hash or "(none)")
        computed = event.compute_hash(number)
        if computed != event.hash:
            yield ChainBreak(number, event.seq, "hash", computed, event.hash)
        if event.canonical is not None:
            stored, fresh = bytes(event.canonical), stored_canonical_line(number, event)
            if stored != fresh:
                yield ChainBreak(number, event.seq, "canonical line", _shown(fresh), _shown(stored))
        previous_hash = event.hash
        expected_seq = event.seq + 1
    if expected_seq - 1 != event_count:
        yield ChainBreak(number, expected_seq - 1, "event count on the ticket", str(expected_seq - 1), str(event_count))
    if previous_hash != last_hash:
        yield ChainBreak(
            number, expected_seq - 1, "last hash on the ticket", previous_hash or "(none)", last_hash or "(none)"
        )


def _shown(line: bytes | None) -> str:
    if line is None:
        return "(none)"
    return line.decode(errors="replace").rstrip("\n") or "(empty)"


def verify_all(tickets=None, chunk_size: int = 2000) -> Iterator[ChainBreak]:
    """Every break in the logs of ``tickets`` (a Ticket queryset; default all), read as one stream."""
    events = TicketEvent.objects.order_by("ticket_id", "seq")
    if tickets is not None:
        events = events.filter(ticket__in=tickets.values("pk"))
    tails = Ticket.objects.all() if tickets is None else tickets
    tail_rows = (
        tails.order_by("pk").values_list("pk", "number", "event_count", "last_hash").iterator(chunk_size=chunk_size)
    )
    stream = events.iterator(chunk_size=chunk_size)
    pending = next(stream, None)
    for ticket_id, number, event_count, last_hash in tail_rows:
        while pending is not None and pending.ticket_id < ticket_id:
            pending = next(stream, None)  # events of a ticket outside the selection
        own: list[TicketEvent] = []
        while pending is not None and pending.ticket_id == ticket_id:
            own.append(pending)
            pending = next(stream, None)
        yield from verify_events(number, own, event_count=event_count, last_hash=last_hash)
