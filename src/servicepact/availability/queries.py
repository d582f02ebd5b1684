"""Reads of availability: outages as the SLA kernel counts them, and their outage log.

The outage log is the specification's (SLA-SPEC section 6), written in its canonical form
(``sla.outages.canonical_outage_lines``), so the bytes a stored report keeps, the export and the digest
are one and the same. Outages are taken in the order they were recorded, which orders exact ties.
"""

from collections.abc import Iterator
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from servicepact.availability.models import Outage
from servicepact.contracts.models import Contract
from servicepact.history.models import HistoryEntry
from servicepact.sla.outages import Outage as KernelOutage
from servicepact.sla.outages import canonical_outage_lines


def overlapping(outages: QuerySet[Outage], start: datetime, end: datetime) -> QuerySet[Outage]:
    """The outages that cover some instant of [start, end)."""
    return outages.filter(start__lt=end).filter(Q(end__isnull=True) | Q(end__gt=start))


def period_outages(contract: Contract, start: datetime, end: datetime) -> QuerySet[Outage]:
    return overlapping(Outage.objects.filter(contract=contract), start, end)


def kernel_outages(outages: QuerySet[Outage]) -> list[KernelOutage]:
    rows = outages.order_by("pk").values_list("service__key", "start", "end", "planned", "reference")
    return [
        KernelOutage(
            service=service,
            start=int(start.timestamp()),
            end=None if end is None else int(end.timestamp()),
            planned=planned,
            ref=reference or None,
            line=line,
        )
        for line, (service, start, end, planned, reference) in enumerate(rows.iterator(chunk_size=2000), start=1)
    ]


def outage_log_lines(outages: QuerySet[Outage]) -> Iterator[bytes]:
    """The outages as the canonical outage log, line by line."""
    return canonical_outage_lines(kernel_outages(outages))


def changed_since(outages: QuerySet[Outage], since: datetime) -> QuerySet[Outage]:
    """Those of ``outages`` recorded, ended or corrected after ``since`` (their history says when)."""
    subject_type = ContentType.objects.get_for_model(Outage, for_concrete_model=False)
    later = HistoryEntry.objects.filter(subject_type=subject_type, at__gt=since).values("subject_id")
    return outages.filter(pk__in=later)
