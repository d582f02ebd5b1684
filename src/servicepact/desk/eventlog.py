"""The desk's ticket events as the SLA specification's event log (section 3), for the kernel and export.

Mapping: ``created`` (priority, service key, category when set, team slug), ``status``, ``priority``,
``assigned`` (team slug) keep their type; a public reply by the ticket's handlers is ``responded``; a
message from the requester's side, notes, attachments and the rest are not the SLA's business.
A corrected service or category (a ``field`` event) is what the ticket was about all along, so the
``created`` event carries the last value, as the ticket's row does.
Events are in ``seq`` order, which is time order (the actions refuse an earlier instant); the export
drops sub-second parts, so events of the same second keep their log order, which the kernel honours.
"""

import calendar
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import groupby

import orjson
from django.db.models import Q, QuerySet

from servicepact.desk.models import EventType, Ticket, TicketEvent
from servicepact.sla.events import Event
from servicepact.sla.timefmt import format_instant

RECLASSIFYING_FIELDS = ("service", "category")
_EXPORTED = (EventType.CREATED, EventType.STATUS, EventType.PRIORITY, EventType.ASSIGNED, EventType.REPLIED)
EXPORT_CHUNK = 5000


def epoch_seconds(at: datetime) -> int:
    """Whole seconds since the epoch, the sub-second part dropped (as the kernel's parser does)."""
    return calendar.timegm(at.utctimetuple())


def _relevant_events() -> Q:
    return Q(type__in=_EXPORTED) | Q(type=EventType.FIELD, data__field__in=RECLASSIFYING_FIELDS)


def kernel_records(rows: Iterable[tuple[str, datetime, dict]]) -> list[tuple[int, str, dict]]:
    """(at, spec type, other fields) of one ticket's events, given as (type, at, data) in seq order."""
    rows = list(rows)
    latest = {}
    for event_type, _at, data in rows:
        if event_type == EventType.FIELD and data.get("field") in RECLASSIFYING_FIELDS:
            latest[data["field"]] = data["new"]
    records: list[tuple[int, str, dict]] = []
    for event_type, at, data in rows:
        second = epoch_seconds(at)
        if event_type == EventType.CREATED:
            fields = {"priority": data["priority"], "service": latest.get("service", data["service"]),
                      "team": data["team"]}
            category = latest.get("category", data.get("category", ""))
            if category:
                fields["category"] = category
            records.append((second, "created", fields))
        elif event_type == EventType.STATUS:
            records.append((second, "status", {"status": data["status"]}))
        elif event_type == EventType.PRIORITY:
            records.append((second, "priority", {"priority": data["priority"]}))
        elif event_type == EventType.ASSIGNED:
            records.append((second, "assigned", {"team": data["team"]}))
        elif event_type == EventType.REPLIED and not data.get("from_requester"):
            records.append((second, "responded", {}))
    return records


def kernel_events(ticket: Ticket) -> list[Event]:
    """The ticket's log as the kernel's events (``line`` is the position in the ticket's log)."""
    rows = (
        TicketEvent.objects.filter(ticket=ticket).filter(_relevant_events())
        .order_by("seq").values_list("type", "at", "data")
    )
    return [
        Event(ticket.number, at, event_type, line, data)
        for line, (at, event_type, data) in enumerate(kernel_records(rows), start=1)
    ]


def export_lines(queryset: QuerySet[Ticket], since: datetime | None = None,
                 chunk_size: int = EXPORT_CHUNK) -> Iterator[bytes]:
    """JSON Lines (each ending in a newline) of the tickets of ``queryset``, streamed from the database.

    With ``since``, the whole history of every ticket with an event at or after it: a partial history
    would not be a valid log (its first event must be ``created``).
    """
    tickets = queryset if since is None else queryset.filter(updated_at__gte=since)
    rows = (
        TicketEvent.objects.filter(ticket__in=tickets.values("pk")).filter(_relevant_events())
        .order_by("ticket_id", "seq")
        .values_list("ticket_id", "ticket__number", "type", "at", "data")
        .iterator(chunk_size=chunk_size)
    )
    for (_ticket_id, number), ticket_rows in groupby(rows, key=lambda row: (row[0], row[1])):
        for at, event_type, fields in kernel_records((row[2], row[3], row[4]) for row in ticket_rows):
            record = {"ticket": number, "at": format_instant(at), "type": event_type, **fields}
            yield orjson.dumps(record) + b"\n"
