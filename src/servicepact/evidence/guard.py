"""The database's own refusal to change written-once rows: triggers on SQLite and PostgreSQL.

``servicepact/write_once.py`` refuses changes made through Django. The guard makes the database refuse
them too, so that an UPDATE, DELETE (or, on PostgreSQL, TRUNCATE) typed into a SQL client or run by code
that bypasses the models fails with ``servicepact: <table> rows are written once; UPDATE refused``.

What is guarded: the table of every write-once model and its many-to-many tables (``guarded_tables``).
A model with ``final_rows`` is guarded for those rows only: a contract version while it is a draft may
still change, and the UPDATE that signs it passes (the trigger looks at the row as stored, ``OLD``).
The triggers are created by migrations (``install``; ``evidence/migrations``); ``problems`` names a
missing one, for ``servicepact events verify`` and the tests. A migration that rebuilds a guarded table on
SQLite (Django's table remake) drops its triggers and must install them again.

One privileged path passes the guard: ``maintenance(reason)``, for deliberate work by whoever runs the
installation. It inserts a row into the maintenance table at the start of a transaction and deletes it
before the transaction ends, and the triggers let a change through while that table holds a row; the row
is never committed, so no other connection ever sees the gate open. ``servicepact flush``, which empties
every table (and which Django's transactional tests run after each test), goes through it; so do tests
that tamper on purpose. A committed row would open the gate for everyone: ``problems`` reports one.

This stops accidents and casual edits, not whoever controls the database (they can drop triggers): signed
checkpoints that the customer keeps make such a rewrite detectable (docs/checkpoints.md).
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, migrations, transaction
from django.utils import timezone

from servicepact.write_once import WriteOnceModel

MAINTENANCE_TABLE = "servicepact_write_once_maintenance"
FUNCTION = "servicepact_write_once"
TRIGGER_PREFIX = "write_once_"
ROW_OPERATIONS = ("UPDATE", "DELETE")


@dataclass(frozen=True)
class Guarded:
    """A table to guard; ``final_when`` is the SQL condition over ``OLD`` naming its final rows (None: all)."""

    table: str
    final_when: str | None = None


# -- the SQL, per vendor -------------------------------------------------------------------------------------


def _message(table: str, operation: str) -> str:
    return f"servicepact: {table} rows are written once; {operation} refused"


def _sqlite_trigger_name(table: str, operation: str) -> str:
    return f"{TRIGGER_PREFIX}{table}_{operation.lower()}"


def _sqlite_install(guarded: Guarded) -> list[str]:
    statements = []
    for operation in ROW_OPERATIONS:
        condition = f"NOT EXISTS (SELECT 1 FROM {MAINTENANCE_TABLE})"
        if guarded.final_when:
            condition = f"({guarded.final_when}) AND {condition}"
        statements.append(
            f'CREATE TRIGGER "{_sqlite_trigger_name(guarded.table, operation)}" BEFORE {operation} '
            f'ON "{guarded.table}" FOR EACH ROW WHEN {condition} '
            f"BEGIN SELECT RAISE(ABORT, '{_message(guarded.table, operation)}'); END"
        )
    return statements


def _sqlite_uninstall(guarded: Guarded) -> list[str]:
    return [f'DROP TRIGGER IF EXISTS "{_sqlite_trigger_name(guarded.table, op)}"' for op in ROW_OPERATIONS]


def _postgresql_install(guarded: Guarded) -> list[str]:
    when = f" WHEN ({guarded.final_when})" if guarded.final_when else ""
    statements = [
        f'CREATE TRIGGER {TRIGGER_PREFIX}{operation.lower()} BEFORE {operation} ON "{guarded.table}" '
        f"FOR EACH ROW{when} EXECUTE FUNCTION {FUNCTION}()"
        for operation in ROW_OPERATIONS
    ]
    # TRUNCATE removes rows without firing row triggers; it is refused as a whole.
    statements.append(
        f'CREATE TRIGGER {TRIGGER_PREFIX}truncate BEFORE TRUNCATE ON "{guarded.table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )
    return statements


def _postgresql_uninstall(guarded: Guarded) -> list[str]:
    return [
        f'DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}{operation.lower()} ON "{guarded.table}"'
        for operation in (*ROW_OPERATIONS, "TRUNCATE")
    ]


_SQLITE_GATE = [
    f"CREATE TABLE {MAINTENANCE_TABLE} (token varchar(64) NOT NULL PRIMARY KEY, reason varchar(200) NOT NULL, "
    "started_at varchar(40) NOT NULL)",
]
_POSTGRESQL_GATE = [
    f"CREATE TABLE {MAINTENANCE_TABLE} (token varchar(64) NOT NULL PRIMARY KEY, reason varchar(200) NOT NULL, "
    "started_at varchar(40) NOT NULL)",
    # SET search_path: the function finds the maintenance table whatever the session's search path.
    f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM {MAINTENANCE_TABLE}) THEN
        IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'servicepact: % rows are written once; % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$""",
]


def _run(schema_editor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def _vendor(schema_editor) -> str:
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"the write-once guard knows SQLite and PostgreSQL, not {vendor}")
    return vendor


# -- for migrations ------------------------------------------------------------------------------------------


def create_gate() -> migrations.RunPython:
    """The maintenance table (and, on PostgreSQL, the trigger function): before any ``install``."""

    def forward(apps, schema_editor):
        _run(schema_editor, _SQLITE_GATE if _vendor(schema_editor) == "sqlite" else _POSTGRESQL_GATE)

    def backward(apps, schema_editor):
        statements = [f"DROP TABLE IF EXISTS {MAINTENANCE_TABLE}"]
        if _vendor(schema_editor) == "postgresql":
            statements.insert(0, f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        _run(schema_editor, statements)

    return migrations.RunPython(forward, backward)


def install(*tables: Guarded) -> migrations.RunPython:
    """The triggers that refuse UPDATE and DELETE (and TRUNCATE) on ``tables``; reversible."""

    def forward(apps, schema_editor):
        build = _sqlite_install if _vendor(schema_editor) == "sqlite" else _postgresql_install
        for guarded in tables:
            _run(schema_editor, build(guarded))

    def backward(apps, schema_editor):
        drop = _sqlite_uninstall if _vendor(schema_editor) == "sqlite" else _postgresql_uninstall
        for guarded in tables:
            _run(schema_editor, drop(guarded))

    return migrations.RunPython(forward, backward)


# -- the privileged path -------------------------------------------------------------------------------------


@contextmanager
def maintenance(reason: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Pass the guard inside this block, which is one transaction (or a savepoint of the caller's)."""
    token = secrets.token_hex(16)
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {MAINTENANCE_TABLE} (token, reason, started_at) VALUES (%s, %s, %s)",
                [token, reason[:200], timezone.now().isoformat()],
            )
        yield
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {MAINTENANCE_TABLE} WHERE token = %s", [token])


def gate_exists(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return MAINTENANCE_TABLE in connection.introspection.table_names(cursor)


# -- what should be there, and what is -----------------------------------------------------------------------


def guarded_tables() -> dict[str, str | None]:
    """Every table the guard must cover, from the models: {table: the final rows' condition or None}."""
    found: dict[str, str | None] = {}
    for model in apps.get_models(include_auto_created=False):
        if not issubclass(model, WriteOnceModel) or model._meta.abstract or model._meta.proxy:
            continue
        found[model._meta.db_table] = "final" if model.final_rows is not None else None
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                found[field.remote_field.through._meta.db_table] = None
    return found


def installed_triggers(using: str = DEFAULT_DB_ALIAS) -> set[tuple[str, str]]:
    """(table, operation) of every guard trigger in the database."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER_PREFIX}%"],
            )
            return {(table, name.rsplit("_", 1)[1].upper()) for table, name in cursor.fetchall()}
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE %s AND pg_table_is_visible(c.oid)",
            [f"{TRIGGER_PREFIX}%"],
        )
        return {(table, name[len(TRIGGER_PREFIX) :].upper()) for table, name in cursor.fetchall()}


def problems(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What keeps the database from refusing changes: a missing trigger, a committed maintenance row."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return [f"the write-once guard knows SQLite and PostgreSQL, not {connection.vendor}"]
    if not gate_exists(using):
        return [f"the write-once guard is not installed (no table {MAINTENANCE_TABLE}): run migrate"]
    found = []
    operations = ROW_OPERATIONS + (("TRUNCATE",) if connection.vendor == "postgresql" else ())
    installed = installed_triggers(using)
    for table in sorted(guarded_tables()):
        for operation in operations:
            if (table, operation) not in installed:
                found.append(f"{table}: no trigger refuses {operation}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reason, started_at FROM {MAINTENANCE_TABLE} ORDER BY started_at")
        for reason, started_at in cursor.fetchall():
            found.append(f"the maintenance gate is open for everyone: a row ({reason!r}, {started_at}) was committed")
    return found
