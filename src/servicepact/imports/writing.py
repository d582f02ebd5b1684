"""Writing a batch of planned tickets: the ticket rows, their hash-chained events, the teams that held them,
their clock rows and their source numbers, in one transaction per batch.

The events are the desk's (``TicketEvent``), numbered and chained by ``desk.hashchain.chain`` exactly as
the desk's actions chain them, so ``servicepact events verify`` checks them like any other; each ticket
takes its number from the desk's numbering (and its ledger). The clock rows are the kernel's at the
moment of the import, as ``slm.live`` stores them; the thresholds a clock reached in its past count as
fired, so that history tells nobody of a breach years ago. Nothing is written to the outbox: history
notifies no one.

Events and clock rows go in with one ``executemany`` per table and batch: building a model instance and
letting ``bulk_create`` compile each row cost most of the time of a large import.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from operator import itemgetter

import orjson
from django.db import connection, models, transaction

from servicepact.desk.eventlog import kernel_records
from servicepact.desk.hashchain import chain
from servicepact.desk.models import Ticket, TicketEvent, TicketTeam
from servicepact.desk.numbering import next_numbers
from servicepact.imports.conversion import TicketPlan
from servicepact.imports.models import ImportedTicket, ImportRun
from servicepact.imports.target import ImportTarget
from servicepact.sla.clock_rules import OLA_PREFIX
from servicepact.sla.clocks import evaluate_ticket
from servicepact.sla.events import Event
from servicepact.slm.models import ClockState
from servicepact.slm.thresholds import next_check, reached_thresholds


def as_datetime(second: int | None) -> datetime | None:
    return None if second is None else datetime.fromtimestamp(second, tz=UTC)


class ChainedEvent:
    """A ticket event's fields as ``hashchain.chain`` and ``TicketEvent.compute_hash`` read them, without a
    model instance per event."""

    __slots__ = ("seq", "type", "at", "actor_id", "public", "data", "prev_hash", "hash")
    compute_hash = TicketEvent.compute_hash

    def __init__(self, event_type: str, at: datetime, data: dict, public: bool):
        self.type, self.at, self.data, self.public = event_type, at, data, public
        self.actor_id = None


class ChainTail:
    """A new ticket's number and the tail of its chain, as ``hashchain.chain`` moves it on."""

    __slots__ = ("number", "event_count", "last_hash")

    def __init__(self, number: str):
        self.number, self.event_count, self.last_hash = number, 0, ""


class RowInserter:
    """INSERTs of one model's rows, given as {attname: value}, all concrete columns but the primary key; a
    column the row does not name takes the field's default (so a field added later needs no change here)."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        self.names = [field.attname for field in self.fields]
        self.defaults = {
            field.attname: field.get_default() for field in self.fields if field.has_default() or field.null
        }
        # (position, adapter) of the columns whose values need converting for the database driver
        self.adapting = [
            (position, adapt) for position, adapt in enumerate(map(_adapter, self.fields)) if adapt is not _unchanged
        ]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"

    def insert(self, rows: Sequence[dict]) -> None:
        if not rows:
            return
        missing = [name for name in self.names if name not in rows[0]]
        if missing:
            absent = [name for name in missing if name not in self.defaults]
            if absent:
                raise ValueError(f"{self.model.__name__} rows lack {', '.join(absent)}, which have no default")
            for row in rows:
                for name in missing:
                    row[name] = self.defaults[name]
        values = []
        take, adapting = itemgetter(*self.names), self.adapting
        for row in rows:
            row_values = list(take(row))
            for position, adapt in adapting:
                row_values[position] = adapt(row_values[position])
            values.append(row_values)
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, values)


def _adapter(field: models.Field):
    if connection.vendor == "sqlite":
        if isinstance(field, models.DateTimeField):
            return _sqlite_datetime
        if isinstance(field, models.JSONField):
            return _json_text
        if isinstance(field, models.BooleanField):
            return int
        return _unchanged
    return lambda value: field.get_db_prep_save(value, connection)


def _unchanged(value):
    return value


def _json_text(value) -> str:
    # The same JSON as Django writes (it reads back to the same value); orjson is several times faster.
    return orjson.dumps(value).decode()


def _sqlite_datetime(value: datetime | None) -> str | None:
    # Django's SQLite backend stores an aware datetime as its naive UTC form, str()-ed (all ours are UTC).
    return None if value is None else str(value.replace(tzinfo=None))


class BatchWriter:
    """Writes batches of one run's tickets (call ``prepare`` once, with the placeholders made)."""

    def __init__(self, run: ImportRun, target: ImportTarget, now: datetime):
        self.run = run
        self.target = target
        self.now = now.replace(microsecond=0)
        self.now_second = int(self.now.timestamp())
        self.tickets = RowInserter(Ticket)
        self.events = RowInserter(TicketEvent)
        self.clocks = RowInserter(ClockState)
        self.visits = RowInserter(TicketTeam)
        self.imported = RowInserter(ImportedTicket)
        self.requesters: dict[str, int] = dict(target.placeholders)
        self.team_ids = {slug: pk for slug, (pk, _organization) in target.teams.items()}

    def refresh_names(self) -> None:
        """Take in the teams and placeholder requesters made since the target was read."""
        self.team_ids = {slug: pk for slug, (pk, _organization) in self.target.teams.items()}
        self.requesters = dict(self.target.placeholders)

    def write(self, plans: list[TicketPlan]) -> int:
        """Write the tickets of ``plans`` in one transaction; the number of events written."""
        contract = self.target.contract
        with transaction.atomic():
            tickets: list[dict] = []
            chains: list[list[ChainedEvent]] = []
            clocks: list[list[dict]] = []
            numbers = iter(next_numbers(plans[0].kind, len(plans), at=self.now))
            for plan in plans:
                tail = ChainTail(next(numbers))
                chained = []
                for at, event_type, data, public in plan.events:
                    if event_type == "created":
                        data["imported"]["run"] = self.run.pk
                    event = ChainedEvent(event_type, as_datetime(at), data, public)
                    chain(tail, event)
                    chained.append(event)
                row = self._ticket(plan, contract, tail)
                clocks.append(self._clock_rows(row, plan, chained))
                tickets.append(row)
                chains.append(chained)
            self.tickets.insert(tickets)
            ids = dict(Ticket.objects.filter(number__in=[row["number"] for row in tickets]).values_list("number", "pk"))
            events, clock_rows, visits, imported = [], [], [], []
            system, run_id = self.target.system, self.run.pk
            for row, plan, chained, ticket_clocks in zip(tickets, plans, chains, clocks):
                ticket_id = ids[row["number"]]
                events.extend(
                    {
                        "ticket_id": ticket_id,
                        "seq": event.seq,
                        "type": event.type,
                        "at": event.at,
                        "actor_id": None,
                        "public": event.public,
                        "data": event.data,
                        "prev_hash": event.prev_hash,
                        "hash": event.hash,
                    }
                    for event in chained
                )
                for clock in ticket_clocks:
                    clock["ticket_id"] = ticket_id
                clock_rows.extend(ticket_clocks)
                visits.extend(
                    {"ticket_id": ticket_id, "team_id": self.team_ids[slug], "first_at": as_datetime(at)}
                    for slug, at in plan.visits.items()
                )
                imported.append(
                    {
                        "ticket_id": ticket_id,
                        "run_id": run_id,
                        "contract_id": contract.pk,
                        "system": system,
                        "reference": plan.reference,
                        "verdicts": plan.verdicts,
                    }
                )
            self.events.insert(events)
            self.clocks.insert(clock_rows)
            self.visits.insert(visits)
            self.imported.insert(imported)
        return len(events)

    def _ticket(self, plan: TicketPlan, contract, tail: "ChainTail") -> dict:
        kind, key = plan.requester
        return {
            "number": tail.number,
            "kind": plan.kind,
            "contract_id": contract.pk,
            "contract_version_id": plan.version.pk,
            "customer_id": contract.customer_id,
            "service_id": self.target.service_ids[plan.service],
            "category": plan.category,
            "title": plan.title,
            "description": "",
            "requester_id": key if kind == "user" else self.requesters[key],
            "impact": plan.impact,
            "urgency": plan.urgency,
            "priority": plan.priority,
            "priority_overridden": plan.priority_overridden,
            "status": plan.status,
            "team_id": self.team_ids[plan.team] if plan.team else None,
            "assignee_id": plan.assignee,
            "created_at": as_datetime(plan.created_at),
            "updated_at": as_datetime(plan.updated_at),
            "responded_at": as_datetime(plan.responded_at),
            "resolved_at": as_datetime(plan.resolved_at),
            "closed_at": as_datetime(plan.closed_at),
            "reopen_count": plan.reopen_count,
            "due_at": None,
            "breached": False,
            "event_count": tail.event_count,
            "last_hash": tail.last_hash,
        }

    def _clock_rows(self, ticket: dict, plan: TicketPlan, chained: list[ChainedEvent]) -> list[dict]:
        """The ticket's clock rows at the import's instant, without their ticket id yet; sets the ticket's due
        instant and breach flag."""
        terms = plan.version.kernel()
        records = kernel_records((event.type, event.at, event.data) for event in chained)
        events = [Event(ticket["number"], at, kind, line, data) for line, (at, kind, data) in enumerate(records, 1)]
        at = max(self.now_second, events[-1].at)
        _facts, clocks = evaluate_ticket(terms, events, at)
        contract_clocks = [clock for clock in clocks if not clock.clock.startswith(OLA_PREFIX)]
        dues = [clock.due_at for clock in contract_clocks if clock.state == "running" and clock.due_at is not None]
        ticket["due_at"] = as_datetime(min(dues)) if dues else None
        ticket["breached"] = any(clock.state == "breached" for clock in contract_clocks)
        computed_at = as_datetime(at)
        rows = []
        for clock in clocks:
            fired = [threshold.key for threshold in reached_thresholds(terms, clock, at)]
            rows.append(
                {
                    "ticket_id": None,
                    "clock": clock.clock,
                    "priority": clock.priority,
                    "calendar": clock.calendar,
                    "target_s": clock.target_s,
                    "elapsed_s": clock.elapsed_s,
                    "state": clock.state,
                    "breached_at": as_datetime(clock.breached_at),
                    "due_at": as_datetime(clock.due_at),
                    "stopped_at": as_datetime(clock.stopped_at),
                    "team_id": self.team_ids.get(clock.team),
                    "next_check_at": as_datetime(next_check(terms, clock, fired, at)),
                    "warnings_fired": fired,
                    "computed_at": computed_at,
                }
            )
        return rows
