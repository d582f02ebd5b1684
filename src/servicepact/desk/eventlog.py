"""The desk's ticket events as the SLA specification's event log (section 3), for the kernel and export.

Mapping: ``created`` (priority, service key, category when set, team slug), ``status``, ``priority``,
``assigned`` (team slug) keep their type; a public reply by the ticket's handlers is ``responded``; a
message from the requester's side, notes, attachments and the rest are not the SLA's business.
A corrected service or category (a ``field`` event) is what the ticket was about all along, so the
``created`` event carries the last value, as the ticket's row does.
Events are in ``seq`` order, which is time order (the actions refuse an earlier instant); the export
drops sub-second parts, so events of the same second keep their log order, which the kernel honours.
Reports and backtests read a contract's whole log with ``kernel_event_log``, straight into the kernel's
events; ``export_lines`` streams the same events as JSON Lines.
"""

import calendar
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

import orjson
from django.db import connection
from django.db.models import Func, IntegerField, Q, QuerySet, TextField
from django.db.models.functions import Cast

from servicepact.desk.models import EventType, Ticket, TicketEvent
from servicepact.sla.events import ContractVocabulary, Event, EventLogError
from servicepact.sla.timefmt import format_instant

RECLASSIFYING_FIELDS = ("service", "category")
_EXPORTED = (EventType.CREATED, EventType.STATUS, EventType.PRIORITY, EventType.ASSIGNED, EventType.REPLIED)
EXPORT_CHUNK = 5000
# The types as plain strings: comparing with an enum member costs an attribute look-up through the enum
# class each time, which shows over millions of events.
_STATUS, _REPLIED, _ASSIGNED = EventType.STATUS.value, EventType.REPLIED.value, EventType.ASSIGNED.value
_CREATED, _PRIORITY, _FIELD = EventType.CREATED.value, EventType.PRIORITY.value, EventType.FIELD.value


class EpochSeconds(Func):
    """Whole seconds since the epoch of a datetime column, computed by the database (sub-seconds dropped,
    as ``epoch_seconds`` does): a log of millions of events is read without a datetime per row."""

    template = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        if connection.Database.sqlite_version_info >= (3, 38):
            template = "unixepoch(%(expressions)s)"
        else:  # '%%%%s' survives this formatting and the backend's placeholder rewriting as strftime's '%s'
            template = "CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def epoch_seconds(at: datetime) -> int:
    """Whole seconds since the epoch, the sub-second part dropped (as the kernel's parser does)."""
    return calendar.timegm(at.utctimetuple())


def _relevant_events() -> Q:
    return Q(type__in=_EXPORTED) | Q(type=EventType.FIELD, data__field__in=RECLASSIFYING_FIELDS)


def kernel_records(rows: Iterable[tuple[str, datetime, dict]]) -> list[tuple[int, str, dict]]:
    """(at, spec type, other fields) of one ticket's events, given as (type, at, data) in seq order."""
    records: list[tuple[int, str, dict]] = []
    created: dict | None = None
    corrections: dict[str, str] = {}
    for event_type, at, data in rows:
        spec = _spec_event(event_type, data, corrections)
        if spec is not None:
            records.append((epoch_seconds(at), *spec))
            if spec[0] == "created":
                created = spec[1]
    if corrections and created is not None:
        _reclassify(created, corrections)
    return records


def _spec_event(event_type: str, data: dict, corrections: dict[str, str]) -> tuple[str, dict] | None:
    """The spec's (type, fields) of one desk event, or None; a correction of service or category is noted
    in ``corrections`` (the last one wins) for ``_reclassify``."""
    if event_type == _STATUS:
        return "status", {"status": data["status"]}
    if event_type == _REPLIED:
        return None if data.get("from_requester") else ("responded", {})
    if event_type == _ASSIGNED:
        return "assigned", {"team": data["team"]}
    if event_type == _CREATED:
        fields = {"priority": data["priority"], "service": data["service"], "team": data["team"]}
        if data.get("category"):
            fields["category"] = data["category"]
        return "created", fields
    if event_type == _PRIORITY:
        return "priority", {"priority": data["priority"]}
    if event_type == _FIELD and data.get("field") in RECLASSIFYING_FIELDS:
        corrections[data["field"]] = data["new"]
    return None


def _reclassify(created: dict, corrections: dict[str, str]) -> None:
    """The ``created`` event's fields with the ticket's last service and category."""
    if "service" in corrections:
        created["service"] = corrections["service"]
    if "category" in corrections:
        created.pop("category", None)
        if corrections["category"]:
            created["category"] = corrections["category"]


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


def _ticket_events(queryset: QuerySet[Ticket], before: datetime | None, chunk_size: int) -> Iterator[list[Event]]:
    """The kernel's events of every ticket of ``queryset`` with any, ticket by ticket, streamed; ``line``
    numbers them in this order (the export's).

    The database computes each instant's epoch second and hands the JSON data over as text, which orjson
    reads: Django's per-row converters (a datetime and ``json.loads`` per event) were most of the cost of
    reading a large log. With ``before``, only events before it; corrections of service or category count
    whenever they happened, as the export's ``created`` event carries the ticket's last values.
    """
    events = TicketEvent.objects.filter(ticket__in=queryset.values("pk")).filter(_relevant_events())
    if before is not None:
        events = events.filter(Q(at__lt=before) | Q(type=EventType.FIELD))
    rows = _raw_rows(
        events.order_by("ticket_id", "seq")
        .annotate(second=EpochSeconds("at"), text=Cast("data", TextField()))
        .values_list("ticket_id", "ticket__number", "type", "second", "text"),
        chunk_size,
    )
    loads, spec_event = orjson.loads, _spec_event
    end = None if before is None else epoch_seconds(before) + (before.microsecond > 0)
    current, line = None, 0
    ticket_events: list[Event] = []
    corrections: dict[str, str] = {}
    for ticket_id, number, event_type, second, text in rows:
        if ticket_id != current:
            if ticket_events:
                if corrections:
                    _reclassify(ticket_events[0].data, corrections)
                yield ticket_events
            current, ticket_events, corrections = ticket_id, [], {}
        spec = spec_event(event_type, loads(text), corrections)
        if spec is not None and (end is None or second < end):
            line += 1
            ticket_events.append(Event(number, second, spec[0], line, spec[1]))
    if ticket_events:
        if corrections:
            _reclassify(ticket_events[0].data, corrections)
        yield ticket_events


def _raw_rows(rows: QuerySet, chunk_size: int) -> Iterator[tuple]:
    """The rows of a ``values_list`` query of plain columns, as the database driver returns them.

    Django's own iterator costs a few microseconds a row (converters, row reordering), which over
    millions of events is seconds; every column here needs no conversion. The fields come first in the
    SELECT, the annotations after them, in the order given, as ``values_list`` lists them.
    ``chunked_cursor`` streams (a server-side cursor on PostgreSQL).
    """
    sql, params = rows.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk_size):
            yield from batch


def export_lines(queryset: QuerySet[Ticket], since: datetime | None = None, chunk_size: int = EXPORT_CHUNK,
                 *, before: datetime | None = None) -> Iterator[bytes]:
    """JSON Lines (each ending in a newline) of the tickets of ``queryset``, streamed from the database.

    With ``since``, the whole history of every ticket with an event at or after it: a partial history
    would not be a valid log (its first event must be ``created``). With ``before``, only the events
    before that instant (the log as it stood then).
    """
    tickets = queryset if since is None else queryset.filter(updated_at__gte=since)
    dumps = orjson.dumps
    for events in _ticket_events(tickets, before, chunk_size):
        for event in events:
            yield dumps({"ticket": event.ticket, "at": format_instant(event.at), "type": event.type, **event.data}) + b"\n"


def kernel_event_log(queryset: QuerySet[Ticket], contract: ContractVocabulary, *, before: datetime | None = None,
                     chunk_size: int = EXPORT_CHUNK) -> dict[str, list[Event]]:
    """The kernel's events per ticket, as ``parse_event_log`` would read ``export_lines(queryset)`` (only
    the events before ``before``, when given), without writing and parsing the lines.

    ``line`` numbers the events in export order. Raises EventLogError when an event names a priority or
    service that ``contract`` does not know, as the parser would.
    """
    priorities, services = frozenset(contract.priorities), frozenset(contract.services)
    by_ticket: dict[str, list[Event]] = {}
    problems: list[str] = []
    with _collector_paused():
        for events in _ticket_events(queryset, before, chunk_size):
            number = events[0].ticket
            by_ticket[number] = events
            for event in events:
                if event.type == "created" or event.type == "priority":
                    if event.data["priority"] not in priorities:
                        problems.append(f"{number}: priority {event.data['priority']!r} is not one of the contract's")
                    if event.type == "created" and event.data["service"] not in services:
                        problems.append(f"{number}: service {event.data['service']!r} is not one of the contract's")
    if problems:
        raise EventLogError(problems)
    return by_ticket


@contextmanager
def _collector_paused() -> Iterator[None]:
    # Millions of small objects without reference cycles: the cyclic collector would rescan the growing
    # heap again and again for nothing (the kernel's parser pauses it for the same reason).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
