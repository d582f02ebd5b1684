"""Backups of everything the service keeps: the database and the data directory's own files, in one tar.

The archive holds ``manifest.json`` (format, database engine, time, the latest migration of each app),
the database (``database.sqlite3``, a consistent copy by SQLite's online backup API taken while the service
runs; or ``database.dump``, pg_dump's custom format), ``uploads/`` (attachments) and the keys generated in
the data directory (``secret_key``, ``checkpoint_key.pem``: without the latter, checkpoints signed after a
restore would be signed by another key).

A restore refuses a database that holds data unless forced, refuses a backup of another engine, replaces
every table of the database with the backup's, and puts the keys back (the restored checkpoints were signed
with the backup's key). The command ends with ``migrate``, so a backup taken before an upgrade restores into
the new version.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
UPLOADS = "uploads"
KEY_FILES = ("secret_key", "checkpoint_key.pem")
# Rows these models hold say nothing about whether a database holds data: migrate and the workers make them.
BOOKKEEPING = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "runtime.scheduledjob",
    "runtime.workerheartbeat",
    "django_tasks_database.dbtaskresult",
}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class Summary:
    engine: str
    database_bytes: int
    uploads: int


def engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _postgres_environment() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection options from the live connection's settings; the password by env."""
    params = connection.settings_dict
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            arguments += [option, str(params[key])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return arguments + ["--dbname", str(params["NAME"])], env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed; install PostgreSQL's client programs") from None
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"
        raise BackupError(f"{command[0]} failed: {detail}")


def _dump_database(directory: Path) -> Path:
    if engine() == "sqlite":
        target = directory / SQLITE_MEMBER
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # consistent while others write
        copy.close()
        return target
    target = directory / POSTGRES_MEMBER
    arguments, env = _postgres_environment()
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *arguments], env)
    return target


def _latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def create_backup(output: Path) -> Summary:
    """Write the archive to ``output`` (through a file beside it, renamed into place when complete)."""
    output = output.expanduser()
    if output.is_dir():
        raise BackupError(f"{output} is a directory; name the archive file, e.g. {output / 'servicepact.tar'}")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} does not exist")
    partial = output.with_name(f".{output.name}.partial")
    with tempfile.TemporaryDirectory(prefix="servicepact-backup-") as scratch:
        database = _dump_database(Path(scratch))
        manifest = {
            "format": FORMAT,
            "engine": engine(),
            "created_at": timezone.now().isoformat(),
            "migrations": _latest_migrations(),
        }
        uploads = Path(settings.MEDIA_ROOT)
        upload_count = 0
        try:
            with tarfile.open(partial, "w") as archive:
                manifest_file = Path(scratch) / MANIFEST
                manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True))
                archive.add(manifest_file, MANIFEST)
                archive.add(database, database.name)
                if uploads.is_dir():
                    upload_count = sum(1 for path in uploads.rglob("*") if path.is_file())
                    archive.add(uploads, UPLOADS)
                for name in KEY_FILES:
                    key = Path(settings.DATA_DIR) / name
                    if key.is_file():
                        archive.add(key, name)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise BackupError(f"cannot write {output}: {error.strerror}") from None
        partial.replace(output)
        return Summary(engine(), database.stat().st_size, upload_count)


def holds_data() -> list[str]:
    """The tables of the configured database that hold rows other than bookkeeping."""
    tables = set(connection.introspection.table_names())
    found = []
    for model in apps.get_models():
        if model._meta.label_lower in BOOKKEEPING or model._meta.db_table not in tables:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        if model._base_manager.using(connection.alias).exists():
            found.append(model._meta.db_table)
    return found


def _safe_members(archive: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members = {}
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"the archive holds {member.name!r}, which a backup never does; not restored")
        members[member.name] = member
    return members


def read_manifest(archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo], source: Path) -> dict:
    if MANIFEST not in members:
        raise BackupError(f"{source} is not a servicepact backup (it has no {MANIFEST})")
    try:
        manifest = json.loads(archive.extractfile(members[MANIFEST]).read())
    except ValueError:
        raise BackupError(f"{source}: {MANIFEST} is not JSON") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: backup format {manifest.get('format')!r}; this version reads {FORMAT}")
    return manifest


def restore_backup(source: Path, *, force: bool) -> Summary:
    """Put the archive's database, uploads and missing keys back; the caller runs migrate afterwards."""
    source = source.expanduser()
    try:
        archive = tarfile.open(source, "r")
    except FileNotFoundError:
        raise BackupError(f"{source} does not exist") from None
    except (tarfile.TarError, OSError):
        raise BackupError(f"{source} is not a servicepact backup (not a tar archive)") from None
    with archive, tempfile.TemporaryDirectory(prefix="servicepact-restore-") as scratch:
        members = _safe_members(archive)
        manifest = read_manifest(archive, members, source)
        if manifest.get("engine") != engine():
            raise BackupError(
                f"{source} is a backup of a {manifest.get('engine')} database; the configured database is "
                f"{engine()} (DATABASE_URL)"
            )
        member = SQLITE_MEMBER if engine() == "sqlite" else POSTGRES_MEMBER
        if member not in members:
            raise BackupError(f"{source} has no {member}")
        occupied = holds_data()
        if occupied and not force:
            raise BackupError(
                f"the database holds data ({', '.join(occupied[:3])}{', ...' if len(occupied) > 3 else ''}); "
                "restore into an empty database, or give --force to replace everything in it"
            )
        archive.extractall(scratch, members=[members[member]], filter="data")
        database = Path(scratch) / member
        _restore_database(database)
        uploads = _restore_uploads(archive, members, Path(scratch), replace=force)
        _restore_keys(archive, members)
        return Summary(engine(), database.stat().st_size, uploads)


def _restore_database(database: Path) -> None:
    if engine() == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(database) as backup:
            backup.backup(connection.connection)  # page by page into the live file, under its lock
        backup.close()
        connection.close()
        return
    # Tables of a newer version than the backup's would stand in migrate's way: the backup's replace them all.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    arguments, env = _postgres_environment()
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            str(database),
        ],
        env,
    )


def _restore_uploads(
    archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo], scratch: Path, *, replace: bool
) -> int:
    chosen = [member for name, member in members.items() if name == UPLOADS or name.startswith(UPLOADS + "/")]
    if not chosen:
        return 0
    archive.extractall(scratch, members=chosen, filter="data")
    target = Path(settings.MEDIA_ROOT)
    if replace and target.exists():
        shutil.rmtree(target)
    shutil.copytree(scratch / UPLOADS, target, dirs_exist_ok=True)
    return sum(1 for member in chosen if member.isfile())


def _restore_keys(archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo]) -> None:
    # Those in the data directory now were generated at this command's start, for an empty database.
    for name in KEY_FILES:
        if name in members:
            target = Path(settings.DATA_DIR) / name
            target.write_bytes(archive.extractfile(members[name]).read())
            target.chmod(0o600)
