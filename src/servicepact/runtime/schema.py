"""Whether the database's tables are those of the code: a process that serves or works on a database
that was never migrated (or is behind the code) fails on every request and every task, so it refuses to
start instead and says what to run."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor


class SchemaNotReady(Exception):
    """The database cannot be used as it is; the message is one line saying what to do."""


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``app.migration`` of every migration the database lacks, in the order they would be applied."""
    connection = connections[alias]
    try:
        connection.prepare_database()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SchemaNotReady(f"cannot read the database {_name(alias)}: {first_line}") from None
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def check_schema(command: str, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Raise SchemaNotReady naming what to run when the database lacks migrations."""
    missing = unapplied_migrations(alias)
    if not missing:
        return
    applied_none = not _any_applied(alias)
    state = "has never been migrated" if applied_none else f"lacks {len(missing)} migration(s), from {missing[0]}"
    raise SchemaNotReady(
        f"the database {_name(alias)} {state}; run `servicepact migrate` first"
        + (f" (or start with `servicepact {command} --migrate`)" if command else "")
    )


def _any_applied(alias: str) -> bool:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if "django_migrations" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
        return cursor.fetchone() is not None


def _name(alias: str) -> str:
    return str(settings.DATABASES[alias]["NAME"])
