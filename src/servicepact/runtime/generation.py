"""Per-process caches of what changes rarely (people's standing, contracts, their versions, the desk team,
webhook endpoints), valid across processes: each entry is kept under the value of the generation row
(``runtime.Generation``) read before the entry was computed, and database triggers change that value in
the transaction of every write to the tables the entries are read from, whichever code writes them
(actions, the admin, ``QuerySet.update``, raw SQL). A request that starts after such a write commits reads
the new value and finds none of the entries made before it.

The triggers are installed after every ``migrate`` (a table that SQLite rebuilds loses its triggers), and the
value is changed then, since a migration may have written the tables without them.
"""

from collections.abc import Callable, Hashable
from threading import Lock

from django.db import DEFAULT_DB_ALIAS, connections

# The tables whose rows the caches hold or depend on.
WATCHED_TABLES = (
    "accounts_organization",
    "accounts_team",
    "accounts_membership",
    "contracts_contract",
    "contracts_contract_vendors",
    "contracts_service",
    "contracts_contractversion",
    "webhooks_endpoint",
)
TABLE = "runtime_generation"
OPERATIONS = ("insert", "update", "delete")
# The value now, as a statement or a subquery.
GENERATION_SQL = f'SELECT "value" FROM "{TABLE}" WHERE "id" = 1'
# Entries kept per cache before it starts afresh: far more than the contracts, teams and people in use.
MAX_ENTRIES = 10_000

_BUMP_SQLITE = (
    f'INSERT INTO "{TABLE}" ("id", "value") VALUES (1, random()) '
    'ON CONFLICT ("id") DO UPDATE SET "value" = excluded."value";'
)
_POSTGRES_FUNCTION = f"""
CREATE SEQUENCE IF NOT EXISTS {TABLE}_values;
CREATE OR REPLACE FUNCTION {TABLE}_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "{TABLE}" ("id", "value") VALUES (1, nextval('{TABLE}_values'))
    ON CONFLICT ("id") DO UPDATE SET "value" = EXCLUDED."value";
    RETURN NULL;
END $$;
"""


def trigger_name(table: str, operation: str = "") -> str:
    return f"{TABLE}_{table}_{operation}".rstrip("_")


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """(Re)create the triggers on every watched table, then change the value. Idempotent."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
            for table in WATCHED_TABLES:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_bump()'
                )
            cursor.execute(
                f'INSERT INTO "{TABLE}" ("id", "value") VALUES (1, nextval(\'{TABLE}_values\')) '
                'ON CONFLICT ("id") DO UPDATE SET "value" = EXCLUDED."value"'
            )
        elif connection.vendor == "sqlite":
            for table in WATCHED_TABLES:
                for operation in OPERATIONS:
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {trigger_name(table, operation)} AFTER {operation.upper()} "
                        f'ON "{table}" BEGIN {_BUMP_SQLITE} END'
                    )
            cursor.execute(_BUMP_SQLITE)


def installed_triggers(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """The names of the generation's triggers present in the database."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"{TABLE}_%"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TABLE}_%"])
        return {name for (name,) in cursor.fetchall()}


def expected_triggers(vendor: str) -> set[str]:
    if vendor == "postgresql":
        return {trigger_name(table) for table in WATCHED_TABLES}
    return {trigger_name(table, operation) for table in WATCHED_TABLES for operation in OPERATIONS}


def current_generation(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The value now (None when the row is missing, as after a flush: then nothing is cached)."""
    with connections[using].cursor() as cursor:
        cursor.execute(GENERATION_SQL)
        row = cursor.fetchone()
    return None if row is None else row[0]


def installed_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    install_triggers(using)


class ProcessCache:
    """Entries of one generation: a different generation starts the cache afresh. Thread-safe enough for
    a cache: a lost entry is computed again; an entry is only ever stored under the generation that was
    read before it was computed."""

    def __init__(self) -> None:
        self._generation: int | None = None
        self._entries: dict[Hashable, object] = {}
        self._lock = Lock()

    def get(self, generation: int | None, key: Hashable, compute: Callable[[], object]) -> object:
        if generation is None:
            return compute()
        with self._lock:
            if generation == self._generation and key in self._entries:
                return self._entries[key]
        value = compute()
        with self._lock:
            if generation != self._generation or len(self._entries) >= MAX_ENTRIES:
                self._generation, self._entries = generation, {}
            self._entries[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._generation, self._entries = None, {}


def generation_for(user) -> int | None:
    """The generation read with the request's API token (``ApiTokenAuth``), else the value now."""
    generation = getattr(user, "cache_generation", None)
    return current_generation() if generation is None else generation
