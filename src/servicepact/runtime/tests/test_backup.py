"""`servicepact backup` and `restore`: a round trip gives the same event log, on SQLite and on PostgreSQL."""

import tarfile
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from servicepact.desk import actions
from servicepact.runtime.tests.test_processes import clean_environment, servicepact

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def events_export() -> str:
    out = StringIO()
    call_command("events", "export", stdout=out)
    return out.getvalue()


def make_tickets(world) -> None:
    for number, service in enumerate(["sso", "sap-erp", "sso"]):
        ticket = actions.create_ticket(
            actor=world.people["requester"],
            contract=world.contract,
            service=world.services[service],
            title=f"Ticket {number}",
            impact="medium",
            urgency="high",
            at=MONDAY + timedelta(hours=number),
        )
        actions.route_ticket(ticket, actor=world.people["agent"], at=MONDAY + timedelta(hours=number, minutes=10))


@pytest.fixture
def empty_database(tmp_path):
    """The environment of a service with a database of its own, empty: a new data dir (SQLite) or database."""
    env = clean_environment(tmp_path / "restored")
    if connection.vendor != "postgresql":
        yield env
        return
    params = connection.settings_dict
    name = f"{params['NAME']}_restored"
    admin = dict(host=params["HOST"] or None, port=params["PORT"] or None, user=params["USER"] or None)
    with psycopg.connect(dbname="postgres", autocommit=True, password=params["PASSWORD"] or None, **admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    env["DATABASE_URL"] = f"postgres://{credentials}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    yield env
    with psycopg.connect(dbname="postgres", autocommit=True, password=params["PASSWORD"] or None, **admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_the_same_event_log(world, tmp_path, settings, empty_database):
    make_tickets(world)
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (tmp_path / "uploads" / "attachments").mkdir(parents=True)
    (tmp_path / "uploads" / "attachments" / "screenshot.png").write_bytes(b"\x89PNG picture")
    before = events_export()
    assert before.count("created") >= 3, before

    archive = tmp_path / "servicepact.tar"
    out = StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "backed up the" in out.getvalue()
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
    assert {"manifest.json", "uploads/attachments/screenshot.png"} <= names
    assert ("database.dump" if connection.vendor == "postgresql" else "database.sqlite3") in names

    restored = servicepact("restore", str(archive), env=empty_database)
    assert restored.returncode == 0, restored.stderr
    after = servicepact("events", "export", env=empty_database)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before
    # The hash chains and the database's refusal of changes (its triggers) came back too.
    verified = servicepact("events", "verify", env=empty_database)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    data_dir = Path(empty_database["SERVICEPACT_DATA_DIR"])
    assert (data_dir / "uploads" / "attachments" / "screenshot.png").read_bytes() == b"\x89PNG picture"
    assert (data_dir / "checkpoint_key.pem").read_bytes() == (
        Path(settings.DATA_DIR) / "checkpoint_key.pem"
    ).read_bytes()

    # Now it holds data: refused, and nothing changed, unless forced.
    again = servicepact("restore", str(archive), env=empty_database)
    assert again.returncode == 2
    assert again.stderr.strip().splitlines()[-1].startswith("servicepact: restore: the database holds data (")
    assert "--force" in again.stderr
    forced = servicepact("restore", str(archive), "--force", env=empty_database)
    assert forced.returncode == 0, forced.stderr
    assert servicepact("events", "export", env=empty_database).stdout == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"not an archive at all", "is not a servicepact backup (not a tar archive)"),
        ("empty-tar", "is not a servicepact backup (it has no manifest.json)"),
    ],
)
def test_restore_names_what_is_wrong_with_the_file(tmp_path, content, message):
    source = tmp_path / "backup.tar"
    if content == "empty-tar":
        with tarfile.open(source, "w"):
            pass
    elif content is not None:
        source.write_bytes(content)
    result = servicepact("restore", str(source), env=clean_environment(tmp_path / "data"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"servicepact: restore: {source} {message}"


def test_a_backup_of_another_database_engine_is_refused(tmp_path):
    source = tmp_path / "backup.tar"
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"format": 1, "engine": "postgresql"}')
    with tarfile.open(source, "w") as archive:
        archive.add(manifest, "manifest.json")
    result = servicepact("restore", str(source), env=clean_environment(tmp_path / "data"))
    assert result.returncode == 2
    assert "is a backup of a postgresql database; the configured database is sqlite" in result.stderr


def test_backup_refuses_a_directory_as_its_file(tmp_path):
    result = servicepact("backup", str(tmp_path), env=clean_environment(tmp_path / "data"))
    assert result.returncode == 2
    assert "is a directory; name the archive file" in result.stderr
