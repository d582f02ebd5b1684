"""Ticket numbers: a prefix per kind and seven digits, from a counter row locked for the transaction."""

from django.db import IntegrityError, transaction

from servicepact.desk.models import Kind, TicketCounter
from servicepact.desk.models.choices import NUMBER_PREFIX

DIGITS = 7


def format_number(kind: str, value: int) -> str:
    return f"{NUMBER_PREFIX[kind]}{value:0{DIGITS}d}"


def next_number(kind: str) -> str:
    """The next number of ``kind``; call inside the transaction that creates the ticket.

    The counter row stays locked until that transaction ends, so two tickets never get the same number
    and a rolled-back creation gives its number back.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown ticket kind {kind!r}")
    counter = _locked_counter(kind)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_number(kind, counter.last)


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
