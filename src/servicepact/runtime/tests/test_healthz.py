from datetime import timedelta

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicepact.notify.models import Outbox, OutboxStatus
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tests.smtp_server import free_port
from servicepact.runtime import heartbeat, views
from servicepact.runtime.tasks import prune_runtime_records

ALL_CLEAR = {"stuck_tasks": 0, "mail_failing": 0, "mail_overdue": 0, "mail_given_up": 0}


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
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "worker_heartbeat_age_s": None,
        "pending_tasks": 0,
        **ALL_CLEAR,
        "problems": ["no worker has beaten in the last 120 s"],
    }


def test_a_live_worker_and_queued_tasks_are_reported(client, db):
    heartbeat.beat("w1", started_at=timezone.now(), now=timezone.now())
    prune_runtime_records.enqueue()
    prune_runtime_records.enqueue()
    body = client.get(reverse("runtime:healthz")).json()
    assert body["status"] == "ok" and body["problems"] == []
    assert body["worker_heartbeat_age_s"] in (0, 1)
    assert body["pending_tasks"] == 2 == DBTaskResult.objects.ready().count()


def test_unreachable_database_answers_503_without_details(client, db, monkeypatch, broken_database):
    monkeypatch.setattr(views, "connection", broken_database)
    response = client.get(reverse("runtime:healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "down",
        "database": "unreachable",
        "worker_heartbeat_age_s": None,
        "pending_tasks": None,
        "stuck_tasks": None,
        "mail_failing": None,
        "mail_overdue": None,
        "mail_given_up": None,
        "problems": ["the database is unreachable"],
    }
    assert "nonexistent" not in response.content.decode()


def test_only_get_is_allowed(client, db):
    assert client.post(reverse("runtime:healthz")).status_code == 405


def test_a_task_whose_worker_died_is_reported_stuck_until_requeued(client, db, settings):
    settings.SERVICEPACT_TASK_LEASE_SECONDS = 120
    now = timezone.now()
    heartbeat.beat("live", started_at=now, now=now)
    heartbeat.beat("dead", started_at=now - timedelta(hours=1), now=now - timedelta(minutes=5))
    result = DBTaskResult.objects.get(pk=prune_runtime_records.enqueue().id)
    result.claim("dead")
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=now - timedelta(minutes=6))
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["status"], body["stuck_tasks"]) == ("degraded", 1)
    assert body["problems"] == ["1 task(s) running past their lease"]
    # Answered 200 (the web works) unless a monitor asks for the strict answer.
    assert client.get(reverse("runtime:healthz") + "?strict").status_code == 503


def test_mail_the_server_refuses_is_reported_failing_then_overdue_then_given_up(client, db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    heartbeat.beat("live", started_at=timezone.now(), now=timezone.now())
    now = timezone.now()
    message = Outbox.objects.create(
        recipients=["lead@example.test"], subject="s", body="b", created_at=now, next_attempt_at=now
    )
    assert send_pending_messages(now=now).retried == 1  # nobody listens on that port
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["status"], body["mail_failing"], body["mail_overdue"]) == ("degraded", 1, 0)

    Outbox.objects.filter(pk=message.pk).update(created_at=now - timedelta(minutes=31))
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["mail_failing"], body["mail_overdue"]) == (1, 1)

    Outbox.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["status"], body["mail_failing"], body["mail_overdue"], body["mail_given_up"]) == ("degraded", 0, 0, 1)
    assert body["problems"] == ["1 message(s) given up after every retry"]


def test_mail_queued_a_moment_ago_is_not_a_problem(client, db):
    heartbeat.beat("live", started_at=timezone.now(), now=timezone.now())
    now = timezone.now()
    Outbox.objects.create(recipients=["lead@example.test"], subject="s", body="b", created_at=now, next_attempt_at=now)
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["status"], body["problems"]) == ("ok", [])
