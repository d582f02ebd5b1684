"""Fills a fresh SQLite database with the demonstration's world and N generated tickets, for benchmarks.

    .venv/bin/python bench/load_db.py                       # 1,000,000 tickets into bench/out/db-1000000
    .venv/bin/python bench/load_db.py --tickets 20000 --data-dir bench/out/small
    .venv/bin/python bench/load_db.py --tickets 200000 --no-clocks

The organisations, teams, people and the signed reference contract come from ``servicepact demo``'s
scenario (without its simulator: playing a million tickets through the actions would take hours). The
tickets are bench/gen_events.py's, drawn with the same seed and the same random draws, so ticket N here
is ticket N of ``gen_events.py COUNT --start 2026-01-01 --days 181``; each generated event becomes the
desk events its action would write (an assignment also moves the status to ``assigned``, a resolution is
a public reply and the status ``resolved``, a reopen carries its reason), chained with
``TicketEvent.compute_hash``, with the ticket's row (status, team, times, reopen count, chain tail) and,
unless ``--no-clocks``, its clock rows as the kernel computes them at the end of loading.

This is a loader for benchmarks, not a path of the product: the product writes only through its actions.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
FIRST_DAY = datetime.date(2026, 1, 1)
DAYS = 181  # January to June 2026
CHUNK_TICKETS = 5000

# gen_events.py speaks of teams and categories by short names; the demonstration's are these.
TEAM_SLUGS = {
    "service-desk": "northwind-desk",
    "app-support-cn": "app-support-cn",
    "app-support-in": "app-support-in",
    "security": "globex-security",
    "operations": "globex-operations",
    "erp": "globex-erp",
    "hw-vendor": "kestrel-onsite",
}
CATEGORY_KEYS = {
    "software": "application-error",
    "access": "access-request",
    "hardware-onsite": "hardware-onsite",
    "data": "data-correction",
    "question": "how-to",
}
# An (impact, urgency) pair that the reference contract's matrix turns into each priority.
IMPACT_URGENCY = {"P1": ("high", "high"), "P2": ("high", "medium"), "P3": ("medium", "medium"), "P4": ("low", "low")}
REQUESTER_OF_SERVICE = {
    "sap-erp": "requester",
    "sso": "requester-plant",
    "mes-asia": "requester-asia",
    "hr-portal": "requester-asia",
}
REPLY_BODY = "We are looking into it."
RESOLUTION_BODY = "Fixed; please check on your side."
REOPEN_REASON = "The problem came back."
PRIORITY_REASON = "Impact reassessed."


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, help="SERVICEPACT_DATA_DIR to create (default bench/out/db-N)")
    parser.add_argument("--seed", type=int, default=1, help="gen_events.py's seed (default %(default)s)")
    parser.add_argument("--no-clocks", action="store_true", help="leave out the clock rows and due instants")
    parser.add_argument(
        "--database", help="a PostgreSQL DATABASE_URL to load instead (its database must be empty or not exist)"
    )
    args = parser.parse_args(argv)
    if args.tickets < 1:
        parser.error(f"--tickets {args.tickets}: give at least 1")
    return args


def prepare_django(data_dir: Path, database: str | None = None) -> None:
    """Point the service at ``data_dir`` (which must not hold a database yet) and create its tables; with
    ``database``, at that PostgreSQL database instead."""
    if database is None and (data_dir / "servicepact.sqlite3").exists():
        sys.exit(f"load_db: {data_dir} already holds a database; remove it or choose another --data-dir")
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["SERVICEPACT_DATA_DIR"] = str(data_dir)
    if database is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        create_postgres_database(database)
        os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicepact.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a throw-away database: no need to survive a power cut mid-load
            cursor.execute("PRAGMA synchronous=OFF")


def create_postgres_database(url: str) -> None:
    """Create the database ``url`` names when the server does not hold it yet."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def generated_tickets(
    count: int, seed: int, first_day: datetime.date = FIRST_DAY, days: int = DAYS
) -> Iterator[tuple[int, list[tuple[int, dict]]]]:
    """(number, [(epoch second, gen_events record)]) per ticket, with gen_events.generate's random draws."""
    if str(BENCH) not in sys.path:  # gen_events.py is a script beside this one, not a module of the package
        sys.path.insert(0, str(BENCH))
    from gen_events import ticket_events

    rng = random.Random(seed)
    first = int(datetime.datetime(first_day.year, first_day.month, first_day.day, tzinfo=datetime.UTC).timestamp())
    for number in range(1, count + 1):
        day = rng.randrange(days)
        second = rng.choice((1 * 3600, 7 * 3600)) + int(rng.random() * 10 * 3600)
        yield (
            number,
            [(when, record) for when, _number, record in ticket_events(number, first + day * 86400 + second, rng)],
        )


@dataclass
class TicketRows:
    """What one ticket puts in the database: its row's fields, its events, the teams that held it."""

    fields: dict
    events: list[tuple[int, str, dict, str]]  # (epoch second, desk type, data, actor key)
    team_visits: dict[str, int] = field(default_factory=dict)  # team slug -> first instant


def desk_rows(records: list[tuple[int, dict]]) -> TicketRows:
    """The desk events the actions would have written for one generated ticket, and its row's fields."""
    created_at, created = records[0]
    service = created["service"]
    category = CATEGORY_KEYS.get(created.get("category", ""), "")
    impact, urgency = IMPACT_URGENCY[created["priority"]]
    desk = TEAM_SLUGS[created["team"]]
    state = {
        "service": service,
        "category": category,
        "impact": impact,
        "urgency": urgency,
        "priority": created["priority"],
        "status": "new",
        "team": desk,
        "created_at": created_at,
        "responded_at": None,
        "resolved_at": None,
        "closed_at": None,
        "reopen_count": 0,
    }
    events = [
        (
            created_at,
            "created",
            {
                "priority": created["priority"],
                "service": service,
                "category": category,
                "team": desk,
                "kind": "incident",
                "impact": impact,
                "urgency": urgency,
            },
            REQUESTER_OF_SERVICE[service],
        )
    ]
    rows = TicketRows(state, events, {desk: created_at})
    for at, record in records[1:]:
        _apply(rows, at, record)
    state["updated_at"] = rows.events[-1][0]
    return rows


def _apply(rows: TicketRows, at: int, record: dict) -> None:
    state, events = rows.fields, rows.events
    kind = record["type"]
    if kind == "responded":
        events.append((at, "replied", {"body": REPLY_BODY, "from_requester": False}, "agent"))
        state["responded_at"] = state["responded_at"] or at
    elif kind == "assigned":
        team = TEAM_SLUGS[record["team"]]
        events.append((at, "assigned", {"team": team}, "agent"))
        rows.team_visits.setdefault(team, at)
        state["team"] = team
        if state["status"] != "assigned":
            events.append((at, "status", {"status": "assigned"}, "agent"))
            state["status"] = "assigned"
    elif kind == "priority":
        if record["priority"] != state["priority"]:  # the action refuses a change to the same priority
            impact, urgency = IMPACT_URGENCY[record["priority"]]
            events.append(
                (
                    at,
                    "priority",
                    {"priority": record["priority"], "impact": impact, "urgency": urgency, "reason": PRIORITY_REASON},
                    "agent",
                )
            )
            state.update(priority=record["priority"], impact=impact, urgency=urgency)
    elif record["status"] == "resolved":
        events.append((at, "replied", {"body": RESOLUTION_BODY, "from_requester": False, "resolution": True}, "agent"))
        events.append((at, "status", {"status": "resolved"}, "agent"))
        state.update(status="resolved", resolved_at=at, responded_at=state["responded_at"] or at)
    elif record["status"] == "closed":
        events.append((at, "status", {"status": "closed"}, "agent"))
        state.update(status="closed", closed_at=at)
    elif state["status"] == "resolved":
        events.append((at, "status", {"status": record["status"], "reason": REOPEN_REASON, "reopen": True}, "agent"))
        state.update(status=record["status"], resolved_at=None, reopen_count=state["reopen_count"] + 1)
    else:
        events.append((at, "status", {"status": record["status"]}, "agent"))
        state["status"] = record["status"]


class Loader:
    """Writes tickets chunk by chunk into the scenario's contract, with explicit primary keys.

    Rows go in with one ``executemany`` per table and chunk, each value already in the database's form:
    ``bulk_create`` spent most of a load compiling its statements field by field.
    """

    def __init__(self, scenario, *, clocks_at: datetime.datetime | None):
        from servicepact.accounts.models import Team
        from servicepact.contracts.actions import kernel_contract
        from servicepact.desk.models import Ticket, TicketEvent, TicketTeam
        from servicepact.slm.models import ClockState

        self.scenario = scenario
        self.terms = kernel_contract(scenario.version)
        self.clocks_at = clocks_at
        self.team_ids = dict(Team.objects.values_list("slug", "pk"))
        self.people_ids = {key: person.pk for key, person in scenario.people.items()}
        self.service_ids = {key: service.pk for key, service in scenario.services.items()}
        self.tables = {
            Ticket: RowWriter(Ticket, with_pk=True),
            TicketEvent: RowWriter(TicketEvent),
            TicketTeam: RowWriter(TicketTeam),
            ClockState: RowWriter(ClockState),
        }
        self.event_count = 0

    def load(self, tickets: Iterator[tuple[int, list[tuple[int, dict]]]]) -> None:
        chunk: list[tuple[int, TicketRows]] = []
        for number, records in tickets:
            chunk.append((number, desk_rows(records)))
            if len(chunk) == CHUNK_TICKETS:
                self._write(chunk)
                chunk = []
        if chunk:
            self._write(chunk)

    def _write(self, chunk: list[tuple[int, TicketRows]]) -> None:
        from django.db import transaction

        from servicepact.desk.eventlog import canonical_line
        from servicepact.desk.models import Ticket, TicketEvent, TicketTeam
        from servicepact.desk.numbering import format_number
        from servicepact.slm.models import ClockState

        rows: dict[type, list[dict]] = {Ticket: [], TicketEvent: [], TicketTeam: [], ClockState: []}
        for number, ticket in chunk:
            ticket_number = format_number("incident", number)
            last_hash = ""
            for seq, (at, event_type, data, actor) in enumerate(ticket.events, start=1):
                event = ChainedEvent(seq, event_type, _datetime(at), self.people_ids[actor], True, data, last_hash)
                last_hash = TicketEvent.compute_hash(event, ticket_number)  # reads only ChainedEvent's fields
                canonical = canonical_line(ticket_number, event_type, event.at, data)
                rows[TicketEvent].append(
                    {
                        "ticket_id": number,
                        "seq": seq,
                        "type": event_type,
                        "at": event.at,
                        "actor_id": event.actor_id,
                        "public": True,
                        "data": data,
                        "prev_hash": event.prev_hash,
                        "hash": last_hash,
                        "canonical": canonical,
                    }
                )
            fields = self._ticket(number, ticket, ticket_number)
            fields.update(event_count=len(ticket.events), last_hash=last_hash)
            if self.clocks_at is not None:
                rows[ClockState].extend(self._clocks(fields, ticket))
            rows[Ticket].append(fields)
            rows[TicketTeam].extend(
                {"ticket_id": number, "team_id": self.team_ids[slug], "first_at": _datetime(at)}
                for slug, at in ticket.team_visits.items()
            )
        with transaction.atomic():
            for model, model_rows in rows.items():
                self.tables[model].insert(model_rows)
        self.event_count += len(rows[TicketEvent])
        self.ticket_count = chunk[-1][0]
        if self.ticket_count % 50_000 < CHUNK_TICKETS:  # each chunk is committed: a stopped load is usable
            print(f"load_db: {self.ticket_count:,} tickets loaded", file=sys.stderr, flush=True)

    def _ticket(self, number: int, rows: TicketRows, ticket_number: str) -> dict:
        state, contract = rows.fields, self.scenario.contract
        return {
            "id": number,
            "number": ticket_number,
            "kind": "incident",
            "contract_id": contract.pk,
            "contract_version_id": self.scenario.version.pk,
            "customer_id": contract.customer_id,
            "service_id": self.service_ids[state["service"]],
            "category": state["category"],
            "title": f"{state['service']} ticket {number}",
            "description": "",
            "requester_id": self.people_ids[REQUESTER_OF_SERVICE[state["service"]]],
            "impact": state["impact"],
            "urgency": state["urgency"],
            "priority": state["priority"],
            "priority_overridden": False,
            "status": state["status"],
            "team_id": self.team_ids[state["team"]],
            "assignee_id": None,
            "created_at": _datetime(state["created_at"]),
            "updated_at": _datetime(state["updated_at"]),
            "responded_at": _datetime(state["responded_at"]),
            "resolved_at": _datetime(state["resolved_at"]),
            "closed_at": _datetime(state["closed_at"]),
            "reopen_count": state["reopen_count"],
            "due_at": None,
            "breached": False,
        }

    def _clocks(self, ticket: dict, rows: TicketRows) -> list[dict]:
        """The ticket's clock rows as the kernel computes them at ``clocks_at``; sets its due instant and
        breach flag (as slm.live stores them)."""
        from servicepact.desk.eventlog import kernel_records
        from servicepact.sla.clock_rules import OLA_PREFIX
        from servicepact.sla.clocks import evaluate_ticket
        from servicepact.sla.events import Event
        from servicepact.slm.thresholds import next_check

        records = kernel_records((event_type, _datetime(at), data) for at, event_type, data, _ in rows.events)
        events = [Event(ticket["number"], at, kind, line, data) for line, (at, kind, data) in enumerate(records, 1)]
        at = int(self.clocks_at.timestamp())
        _facts, clocks = evaluate_ticket(self.terms, events, at)
        contract_clocks = [clock for clock in clocks if not clock.clock.startswith(OLA_PREFIX)]
        dues = [clock.due_at for clock in contract_clocks if clock.state == "running" and clock.due_at is not None]
        ticket["due_at"] = _datetime(min(dues)) if dues else None
        ticket["breached"] = any(clock.state == "breached" for clock in contract_clocks)
        return [
            {
                "ticket_id": ticket["id"],
                "clock": clock.clock,
                "priority": clock.priority,
                "calendar": clock.calendar,
                "target_s": clock.target_s,
                "elapsed_s": clock.elapsed_s,
                "state": clock.state,
                "breached_at": _datetime(clock.breached_at),
                "due_at": _datetime(clock.due_at),
                "stopped_at": _datetime(clock.stopped_at),
                "team_id": self.team_ids.get(clock.team),
                "next_check_at": _datetime(next_check(self.terms, clock, [], at)),
                "warnings_fired": [],
                "computed_at": self.clocks_at,
            }
            for clock in clocks
        ]


@dataclass(slots=True)
class ChainedEvent:
    """The fields of a ticket event that ``TicketEvent.compute_hash`` reads, without a model instance."""

    seq: int
    type: str
    at: datetime.datetime
    actor_id: int
    public: bool
    data: dict
    prev_hash: str


class RowWriter:
    """INSERTs of one model's rows, given as {attname: value}, every concrete column named (the primary
    key only when ``with_pk``; otherwise the database numbers the rows).

    Values are put in the form Django's SQLite backend stores: aware datetimes as naive UTC text, JSON as
    ``json.dumps`` text, booleans as 0/1 (the tests read the rows back through the models)."""

    def __init__(self, model, *, with_pk: bool = False):
        from django.db import connection

        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if with_pk or not field.primary_key]
        self.adapters = [_adapter(field) for field in self.fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"

    def insert(self, rows: list[dict]) -> None:
        from django.db import connection

        named = list(zip([field.attname for field in self.fields], self.adapters))
        try:
            values = [tuple(adapt(row[name]) for name, adapt in named) for row in rows]
        except KeyError as missing:
            raise ValueError(f"a {self.model.__name__} row lacks the field {missing}") from None
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, values)


def _adapter(field):
    from django.db import connection, models

    if connection.vendor != "sqlite":
        # Elsewhere Django prepares each value itself: slower, and only the SQLite load is timed.
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateTimeField):
        return _datetime_text
    if isinstance(field, models.JSONField):
        return json.dumps
    if isinstance(field, models.BooleanField):
        return int
    return _unchanged


def _unchanged(value):
    return value


def _datetime_text(value: datetime.datetime | None) -> str | None:
    # Django's SQLite backend stores an aware datetime as its naive UTC form, str()-ed.
    return None if value is None else str(value.astimezone(datetime.UTC).replace(tzinfo=None))


def _datetime(second: int | None) -> datetime.datetime | None:
    return None if second is None else datetime.datetime.fromtimestamp(second, tz=datetime.UTC)


def load(count: int, seed: int, *, clocks: bool) -> int:
    """Loads the scenario and ``count`` tickets into the configured database; returns the event count."""
    from django.utils import timezone

    from servicepact.demo.scenario import load_scenario, reference_terms
    from servicepact.desk.models import TicketCounter

    effective = datetime.datetime.combine(reference_terms().effective_from, datetime.time(), tzinfo=datetime.UTC)
    scenario = load_scenario(signed_at=effective - datetime.timedelta(days=14))
    loader = Loader(scenario, clocks_at=timezone.now().replace(microsecond=0) if clocks else None)
    loader.load(generated_tickets(count, seed))
    TicketCounter.objects.update_or_create(kind="incident", defaults={"last": count})
    return loader.event_count


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    data_dir = (args.data_dir or BENCH / "out" / f"db-{args.tickets}").resolve()
    began = time.perf_counter()
    cpu = time.process_time()
    prepare_django(data_dir, args.database)
    events = load(args.tickets, args.seed, clocks=not args.no_clocks)
    from django.db import connection

    from servicepact.runtime.tasks import refresh_statistics

    refresh_statistics.call()  # the planner's statistics, as the worker's periodic job keeps them

    if connection.vendor == "sqlite":
        size = (data_dir / "servicepact.sqlite3").stat().st_size
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    connection.close()
    print(
        f"load_db: {args.tickets:,} tickets, {events:,} events into {args.database or data_dir} in "
        f"{time.perf_counter() - began:.1f} s wall, {time.process_time() - cpu:.1f} s CPU; "
        f"database {size / 2**20:,.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
