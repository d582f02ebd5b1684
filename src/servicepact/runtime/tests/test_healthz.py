import os
from datetime import timedelta

import pytest
import redis
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rq import Queue

from servicepact.notify.models import Outbox, OutboxStatus
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tests.smtp_server import free_port
from servicepact.runtime import heartbeat, views
from servicepact.runtime.tasks import prune_runtime_records

ALL_CLEAR = {
    "task_queue": "database",
    "stuck_tasks": 0,
    "mail_pending": 0,
    "mail_oldest_pending_age_s": None,
    "mail_failing": 0,
    "mail_overdue": 0,
    "mail_given_up": 0,
    "mail_failed": 0,
}


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
        "task_queue": "database",
        "stuck_tasks": None,
        "mail_pending": None,
        "mail_oldest_pending_age_s": None,
        "mail_failing": None,
        "mail_overdue": None,
        "mail_given_up": None,
        "mail_failed": None,
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

    assert (body["mail_pending"], body["mail_oldest_pending_age_s"] >= 31 * 60) == (1, True)

    Outbox.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["status"], body["mail_failing"], body["mail_overdue"], body["mail_given_up"]) == ("degraded", 0, 0, 1)
    assert (body["mail_pending"], body["mail_oldest_pending_age_s"], body["mail_failed"]) == (0, None, 1)
    assert body["problems"] == ["1 message(s) given up after every retry"]

    # A day after its last try it no longer degrades the service, but the count of given-up mail stays.
    Outbox.objects.filter(pk=message.pk).update(next_attempt_at=now - timedelta(days=2))
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["status"], body["mail_given_up"], body["mail_failed"]) == ("ok", 0, 1)


def test_mail_queued_a_moment_ago_is_not_a_problem(client, db):
    heartbeat.beat("live", started_at=timezone.now(), now=timezone.now())
    now = timezone.now()
    Outbox.objects.create(recipients=["lead@example.test"], subject="s", body="b", created_at=now, next_attempt_at=now)
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["status"], body["problems"]) == ("ok", [])
    assert (body["mail_pending"], body["mail_oldest_pending_age_s"] in (0, 1)) == (1, True)


# A database number of its own on the machine's Redis (as the RQ tests use), emptied before and after.
REDIS_URL = f"redis://127.0.0.1:6379/{10 + int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:] or 0) % 3}"


@pytest.fixture
def rq_queue(settings):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running at 127.0.0.1:6379 (the machine starts it; see docs/operations.md)")
    client.flushdb()
    settings.TASKS = {"default": {"BACKEND": "servicepact.runtime.rq_backend.RQBackend"}}
    settings.SERVICEPACT_REDIS_URL = REDIS_URL
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    yield Queue("default", connection=client)
    client.flushdb()


def test_under_rq_the_backlog_is_the_jobs_waiting_in_redis(client, db, rq_queue):
    heartbeat.beat("live", started_at=timezone.now(), now=timezone.now())
    rq_queue.enqueue("servicepact.runtime.tests.holding_task.write_marker", "/nonexistent", "queued")
    rq_queue.enqueue("servicepact.runtime.tests.holding_task.write_marker", "/nonexistent", "queued")
    rq_queue.enqueue_in(timedelta(hours=1), "servicepact.runtime.tests.holding_task.write_marker", "/x", "later")
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["status"], body["task_queue"], body["pending_tasks"]) == ("ok", "rq", 3)


def test_under_rq_an_unreachable_redis_is_a_problem(client, db, settings):
    heartbeat.beat("live", started_at=timezone.now(), now=timezone.now())
    settings.TASKS = {"default": {"BACKEND": "servicepact.runtime.rq_backend.RQBackend"}}
    settings.SERVICEPACT_REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.RQ_QUEUES = {"default": {"URL": settings.SERVICEPACT_REDIS_URL}}
    body = client.get(reverse("runtime:healthz")).json()
    assert (body["status"], body["task_queue"], body["pending_tasks"]) == ("degraded", "rq", None)
    assert body["problems"] == ["the task queue (Redis) is unreachable"]
