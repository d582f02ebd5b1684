import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicepact.runtime import heartbeat, views
from servicepact.runtime.tasks import prune_runtime_records


@pytest.fixture
def broken_database():
    """A real connection to a database that cannot be opened: a server port nobody listens on, or a
    SQLite file in a directory that does not exist."""
    default = connections["default"]
    settings_dict = dict(default.settings_dict)
    if default.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-servicepact-dir/db.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    broken = default.__class__(settings_dict, alias="broken")
    yield broken
    broken.close()


def test_healthy_database_without_worker_is_degraded_but_answers_200(client, db):
    response = client.get(reverse("runtime:healthz"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {"status": "degraded", "database": "ok", "worker_heartbeat_age_s": None,
                               "pending_tasks": 0}


def test_a_live_worker_and_queued_tasks_are_reported(client, db):
    heartbeat.beat("w1", started_at=timezone.now(), now=timezone.now())
    prune_runtime_records.enqueue()
    prune_runtime_records.enqueue()
    body = client.get(reverse("runtime:healthz")).json()
    assert body["status"] == "ok"
    assert body["worker_heartbeat_age_s"] in (0, 1)
    assert body["pending_tasks"] == 2 == DBTaskResult.objects.ready().count()


def test_unreachable_database_answers_503_without_details(client, db, monkeypatch, broken_database):
    monkeypatch.setattr(views, "connection", broken_database)
    response = client.get(reverse("runtime:healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "unreachable", "worker_heartbeat_age_s": None,
                               "pending_tasks": None}
    assert "nonexistent" not in response.content.decode()


def test_only_get_is_allowed(client, db):
    assert client.post(reverse("runtime:healthz")).status_code == 405
