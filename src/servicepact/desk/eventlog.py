"""The desk's ticket events as the SLA specification's event log (section 3), for the kernel and export.

Mapping: ``created`` (priority, service key, category when set, team slug) exactly as it was recorded,
``status``, ``priority`` and ``assigned`` (team slug) keep their type; a public reply by the ticket's
handlers is ``responded``, one by any of the customer's people (``from_customer``; events recorded
before that key existed say ``from_requester``) is not; a correction of the service or category is
``corrected``, with the new service key and/or category (null when the category was cleared) and the
reason. Before corrections were events of their own, a service or category was changed by a ``field``
event: those are exported as ``corrected`` events without a reason, so an older database gives a log of
the same meaning. History brought from other tools adds ``unassigned`` (back to no team's queue, with its
reason when one was given) and ``amended`` (its ``changes``; a change made after the source tool closed the
ticket), which export as the types of those names (docs/measures.md, "Imported history"). A message from
the customer's side, notes, attachments and the rest are not the SLA's business.

A correction is retroactive: the kernel takes a ticket's service and category from its last correction,
for the ticket's whole life, wherever the correction stands in the log. So a log cut at ``before`` (a
period's END) keeps every correction, whatever its instant, and every other event only before END; a
correction made after a report was computed therefore changes that period's log and its digest.
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

# What a correction may change; also the fields of the legacy ``field`` events exported as corrections.
CORRECTABLE_FIELDS = ("service", "category")
_EXPORTED = (
    EventType.CREATED,
    EventType.STATUS,
    EventType.PRIORITY,
    EventType.ASSIGNED,
    EventType.REPLIED,
    EventType.CORRECTED,
    EventType.UNASSIGNED,
    EventType.AMENDED,
)
EXPORT_CHUNK = 5000
# The types as plain strings: comparing with an enum member costs an attribute look-up through the enum
# class each time, which shows over millions of events.
_STATUS, _REPLIED, _ASSIGNED = EventType.STATUS.value, EventType.REPLIED.value, EventType.ASSIGNED.value
_CREATED, _PRIORITY, _FIELD = EventType.CREATED.value, EventType.PRIORITY.value, EventType.FIELD.value
_CORRECTED = EventType.CORRECTED.value
_UNASSIGNED, _AMENDED = EventType.UNASSIGNED.value, EventType.AMENDED.value
# Kept in a log cut at END whatever their instant: corrections, and the legacy ``field`` events that are ones.
_RETROACTIVE = (EventType.CORRECTED, EventType.FIELD)


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
    return Q(type__in=_EXPORTED) | Q(type=EventType.FIELD, data__field__in=CORRECTABLE_FIELDS)


def kernel_records(rows: Iterable[tuple[str, datetime, dict]]) -> list[tuple[int, str, dict]]:
    """(at, spec type, other fields) of one ticket's events, given as (type, at, data) in seq order."""
    records: list[tuple[int, str, dict]] = []
    for event_type, at, data in rows:
        spec = _spec_event(event_type, data)
        if spec is not None:
            records.append((epoch_seconds(at), *spec))
    return records


def _spec_event(event_type: str, data: dict) -> tuple[str, dict] | None:
    """The spec's (type, fields) of one desk event, or None."""
    if event_type == _STATUS:
        return "status", {"status": data["status"]}
    if event_type == _REPLIED:
        return None if data.get("from_customer", data.get("from_requester")) else ("responded", {})
    if event_type == _ASSIGNED:
        return "assigned", {"team": data["team"]}
    if event_type == _CREATED:
        fields = {"priority": data["priority"], "service": data["service"]}
        if data.get("team"):  # an imported ticket may have been opened in no team's queue
            fields["team"] = data["team"]
        if data.get("category"):
            fields["category"] = data["category"]
        return "created", fields
    if event_type == _PRIORITY:
        return "priority", {"priority": data["priority"]}
    if event_type == _CORRECTED:
        fields = {field: _corrected_value(field, data[field]["new"]) for field in CORRECTABLE_FIELDS if field in data}
        if data.get("reason"):
            fields["reason"] = data["reason"]
        return "corrected", fields
    if event_type == _FIELD and data.get("field") in CORRECTABLE_FIELDS:
        return "corrected", {data["field"]: _corrected_value(data["field"], data["new"])}
    if event_type == _UNASSIGNED:
        return "unassigned", ({"reason": data["reason"]} if data.get("reason") else {})
    if event_type == _AMENDED:
        return "amended", {"changes": data["changes"]}
    return None


_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def canonical_line(number: str, event_type: str, at: datetime, data: dict) -> bytes:
    """The event's line in the kernel's canonical log (``sla.events.canonical_event_lines``), newline
    included; empty when the kernel does not read the event. It never changes once the event is written,
    so it is computed then and stored (``TicketEvent.canonical``)."""
    spec = _spec_event(event_type, data)
    if spec is None:
        return b""
    record = dict(spec[1])
    record["ticket"] = number
    record["at"] = format_instant(epoch_seconds(at))
    record["type"] = spec[0]
    return orjson.dumps(record, option=_CANONICAL)


def _corrected_value(field: str, value: str) -> str | None:
    """A corrected value as the spec writes it: the desk's empty category is null (no category)."""
    return (value or None) if field == "category" else value


def kernel_events(ticket: Ticket) -> list[Event]:
    """The ticket's log as the kernel's events (``line`` is the position in the ticket's log)."""
    rows = (
        TicketEvent.objects.filter(ticket=ticket)
        .filter(_relevant_events())
        .order_by("seq")
        .values_list("type", "at", "data")
    )
    return [
        Event(ticket.number, at, event_type, line, data)
        for line, (at, event_type, data) in enumerate(kernel_records(rows), start=1)
    ]


def _ticket_events(
    queryset: QuerySet[Ticket], before: datetime | None, chunk_size: int
) -> Iterator[tuple[list[Event], list[bytes | None]]]:
    """The kernel's events of every ticket of ``queryset`` with any, ticket by ticket, streamed, each with
    its stored canonical line (None where none was stored); ``line`` numbers them in this order (the
    export's).

    The database computes each instant's epoch second and hands the JSON data over as text, which orjson
    reads: Django's per-row converters (a datetime and ``json.loads`` per event) were most of the cost of
    reading a large log. With ``before``, the tickets created before it, with their events before it and
    their corrections whenever made (a correction is about the ticket's whole life).
    """
    events = TicketEvent.objects.filter(ticket__in=queryset.values("pk")).filter(_relevant_events())
    if before is not None:
        events = events.filter(Q(at__lt=before) | Q(type__in=_RETROACTIVE))
    rows = _raw_rows(
        events.order_by("ticket_id", "seq")
        .annotate(second=EpochSeconds("at"), text=Cast("data", TextField()))
        .values_list("ticket_id", "ticket__number", "type", "canonical", "second", "text"),
        chunk_size,
    )
    loads, spec_event = orjson.loads, _spec_event
    end = None if before is None else epoch_seconds(before) + (before.microsecond > 0)
    current, line, keep = None, 0, False
    ticket_events: list[Event] = []
    ticket_lines: list[bytes | None] = []
    for ticket_id, number, event_type, canonical, second, text in rows:
        if ticket_id != current:
            if ticket_events:
                yield ticket_events, ticket_lines
            current, ticket_events, ticket_lines = ticket_id, [], []
            # ``created`` is every ticket's first event; without it (created at or after ``before``) only
            # corrections came back, and the ticket has no log yet.
            keep = event_type == _CREATED
        if not keep:
            continue
        spec = spec_event(event_type, loads(text))
        if spec is not None and (end is None or second < end or spec[0] == "corrected"):
            line += 1
            ticket_events.append(Event(number, second, spec[0], line, spec[1]))
            ticket_lines.append(None if canonical is None else bytes(canonical))
    if ticket_events:
        yield ticket_events, ticket_lines


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


def export_lines(
    queryset: QuerySet[Ticket],
    since: datetime | None = None,
    chunk_size: int = EXPORT_CHUNK,
    *,
    before: datetime | None = None,
) -> Iterator[bytes]:
    """JSON Lines (each ending in a newline) of the tickets of ``queryset``, streamed from the database.

    With ``since``, the whole history of every ticket with an event at or after it: a partial history
    would not be a valid log (its first event must be ``created``). With ``before``, the tickets created
    before that instant with their events before it, and their corrections whenever made (retroactive).
    """
    tickets = queryset if since is None else queryset.filter(updated_at__gte=since)
    dumps = orjson.dumps
    for events, _lines in _ticket_events(tickets, before, chunk_size):
        for event in events:
            yield (
                dumps({"ticket": event.ticket, "at": format_instant(event.at), "type": event.type, **event.data})
                + b"\n"
            )


def kernel_event_log(
    queryset: QuerySet[Ticket],
    contract: ContractVocabulary,
    *,
    before: datetime | None = None,
    chunk_size: int = EXPORT_CHUNK,
    lines: dict[str, list[bytes | None]] | None = None,
) -> dict[str, list[Event]]:
    """The kernel's events per ticket, as ``parse_event_log`` would read ``export_lines(queryset)`` (cut
    at ``before`` as that function cuts, when given), without writing and parsing the lines.

    ``line`` numbers the events in export order. Raises EventLogError when an event names a priority or
    service that ``contract`` does not know, as the parser would. Given ``lines``, fills it with each
    ticket's stored canonical lines, one per event in the same order (None where none was stored).
    """
    priorities, services = frozenset(contract.priorities), frozenset(contract.services)
    by_ticket: dict[str, list[Event]] = {}
    problems: list[str] = []
    with _collector_paused():
        for events, stored in _ticket_events(queryset, before, chunk_size):
            number = events[0].ticket
            by_ticket[number] = events
            if lines is not None:
                lines[number] = stored
            for event in events:
                if event.type == "created" or event.type == "priority":
                    if event.data["priority"] not in priorities:
                        problems.append(f"{number}: priority {event.data['priority']!r} is not one of the contract's")
                    if event.type == "created" and event.data["service"] not in services:
                        problems.append(f"{number}: service {event.data['service']!r} is not one of the contract's")
                elif event.type == "corrected" and "service" in event.data and event.data["service"] not in services:
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


def last_event_id() -> int | None:
    """The id of the newest ticket event of all: it changes with every event, so caches of figures derived
    from tickets are keyed by it."""
    return TicketEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
