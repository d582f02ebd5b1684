"""Ticket numbers: a prefix per kind and seven digits, from a counter row locked for the transaction.

Every number handed out is also written to the ledger (``IssuedNumber``, write-once, hash-chained per
kind), with the instant, so that a ticket deleted behind the application's back leaves a gap that
``servicepact events verify`` names (``verify_ledger``): ``INC0000123: issued 2026-03-02T10:00:00Z, missing``.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from servicepact.desk.models import IssuedNumber, Kind, Ticket, TicketCounter
from servicepact.desk.models.choices import NUMBER_PREFIX

DIGITS = 7


def format_number(kind: str, value: int) -> str:
    return f"{NUMBER_PREFIX[kind]}{value:0{DIGITS}d}"


def next_number(kind: str, *, at: datetime | None = None) -> str:
    """The next number of ``kind``, recorded in the ledger as issued at ``at`` (default: now); call inside
    the transaction that creates the ticket.

    The counter row stays locked until that transaction ends, so two tickets never get the same number
    and a rolled-back creation gives its number back (and its ledger entry with it).
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown ticket kind {kind!r}")
    counter = _locked_counter(kind)
    counter.last += 1
    issued = IssuedNumber(
        kind=kind,
        value=counter.last,
        number=format_number(kind, counter.last),
        issued_at=(at or timezone.now()).astimezone(UTC),
        prev_hash=counter.last_hash,
    )
    issued.hash = issued.compute_hash()
    issued.save()
    counter.last_hash = issued.hash
    counter.save(update_fields=["last", "last_hash"])
    return issued.number


def next_numbers(kind: str, count: int, *, at: datetime | None = None) -> list[str]:
    """``count`` consecutive numbers of ``kind`` for tickets created in one transaction (an import's batch),
    each recorded in the ledger exactly as ``next_number`` records one, with one lock and two writes."""
    if kind not in Kind.values:
        raise ValueError(f"unknown ticket kind {kind!r}")
    if count < 1:
        return []
    counter = _locked_counter(kind)
    issued_at = (at or timezone.now()).astimezone(UTC)
    entries = []
    for value in range(counter.last + 1, counter.last + count + 1):
        issued = IssuedNumber(
            kind=kind, value=value, number=format_number(kind, value), issued_at=issued_at, prev_hash=counter.last_hash
        )
        issued.hash = issued.compute_hash()
        counter.last_hash = issued.hash
        entries.append(issued)
    IssuedNumber.objects.bulk_create(entries)
    counter.last += count
    counter.save(update_fields=["last", "last_hash"])
    return [issued.number for issued in entries]


def _locked_counter(kind: str) -> TicketCounter:
    counter = TicketCounter.objects.select_for_update().filter(kind=kind).first()
    if counter is not None:
        return counter
    # The migrations create the counters; a database set up otherwise gets them on first use. Two
    # first uses may race to create the row: the loser finds it on the second look.
    try:
        with transaction.atomic():
            TicketCounter.objects.create(kind=kind, last=0)
    except IntegrityError:
        pass
    return TicketCounter.objects.select_for_update().get(kind=kind)


@dataclass(frozen=True)
class LedgerProblem:
    subject: str
    problem: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.problem}"


def issued_text(issued_at: datetime | None) -> str:
    if issued_at is None:
        return "issued before the ledger was kept"
    return "issued " + issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def verify_ledger(chunk_size: int = 5000) -> Iterator[LedgerProblem]:
    """Every break in the ledger of issued numbers, and every issued number no ticket holds any more.

    Per kind, the entries are 1, 2, 3... with each hash covering the previous one, ending where the
    counter says; an entry changed, removed or reordered breaks that.
    """
    counters = {counter.kind: counter for counter in TicketCounter.objects.all()}
    for kind in sorted(set(counters) | set(IssuedNumber.objects.values_list("kind", flat=True).distinct())):
        expected, previous_hash = 1, ""
        for issued in IssuedNumber.objects.filter(kind=kind).order_by("value").iterator(chunk_size=chunk_size):
            if issued.value != expected:
                missing = range(expected, issued.value) if issued.value > expected else ()
                for value in missing:
                    yield LedgerProblem(format_number(kind, value), "missing from the ledger of issued numbers")
                if issued.value < expected:
                    yield LedgerProblem(issued.number, f"out of place in the ledger (after {expected - 1})")
            if issued.prev_hash != previous_hash:
                yield LedgerProblem(
                    issued.number,
                    f"ledger: previous hash: expected {previous_hash or '(none)'}, "
                    f"stored {issued.prev_hash or '(none)'}",
                )
            computed = issued.compute_hash()
            if computed != issued.hash:
                yield LedgerProblem(issued.number, f"ledger: hash: expected {computed}, stored {issued.hash}")
            previous_hash, expected = issued.hash, max(expected, issued.value) + 1
        counter = counters.get(kind)
        last, last_hash = (counter.last, counter.last_hash) if counter else (0, "")
        for value in range(expected, last + 1):
            yield LedgerProblem(format_number(kind, value), "missing from the ledger of issued numbers")
        if last < expected - 1:
            yield LedgerProblem(f"ledger of {kind}", f"the counter says {last}, the ledger holds {expected - 1}")
        elif last == expected - 1 and last_hash != previous_hash:
            yield LedgerProblem(
                f"ledger of {kind}",
                f"last hash on the counter: expected {previous_hash or '(none)'}, stored {last_hash or '(none)'}",
            )
    held = Ticket.objects.values("number")
    orphans = IssuedNumber.objects.exclude(number__in=held).order_by("kind", "value")
    for number, issued_at in orphans.values_list("number", "issued_at").iterator(chunk_size=chunk_size):
        yield LedgerProblem(number, f"{issued_text(issued_at)}, missing")
