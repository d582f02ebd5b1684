"""Waking the sender: one queued send at a time, however many messages are committed before it starts."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django_tasks import default_task_backend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from servicepact.notify.actions import enqueue_notification
from servicepact.notify.models import Outbox
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tasks import send_pending
from servicepact.notify.tests.smtp_server import smtp_server
from servicepact.runtime.queueing import run_started

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SEND = "servicepact.notify.tasks.send_pending"


def commit_message(capture, number: int) -> None:
    with capture(execute=True):
        enqueue_notification(recipients=["lead@example.test"], subject=f"message {number}", body="b", at=NOON)


@pytest.mark.django_db
def test_many_committed_messages_queue_one_send_until_it_starts(django_capture_on_commit_callbacks):
    for number in range(5):
        commit_message(django_capture_on_commit_callbacks, number)
    [waiting] = DBTaskResult.objects.filter(task_path=SEND)
    assert waiting.status == TaskResultStatus.READY

    # Once a worker has claimed it, it may have read the outbox already: the next commit queues another.
    waiting.claim("worker-a")
    commit_message(django_capture_on_commit_callbacks, 5)
    commit_message(django_capture_on_commit_callbacks, 6)
    statuses = sorted(DBTaskResult.objects.filter(task_path=SEND).values_list("status", flat=True))
    assert statuses == [TaskResultStatus.READY, TaskResultStatus.RUNNING]


@pytest.fixture
def queue_without_table(settings):
    """A backend other than the database's (as RQ is): the waiting run is known by a mark in the cache."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    yield default_task_backend
    default_task_backend.clear()
    cache.clear()


@pytest.mark.django_db
def test_other_backends_are_asked_through_a_mark_the_run_clears_when_it_starts(
    queue_without_table, django_capture_on_commit_callbacks
):
    for number in range(3):
        commit_message(django_capture_on_commit_callbacks, number)
    assert [result.task.module_path for result in queue_without_table.results] == [SEND]
    run_started(send_pending)
    commit_message(django_capture_on_commit_callbacks, 3)
    assert [result.task.module_path for result in queue_without_table.results] == [SEND, SEND]


@pytest.mark.django_db(transaction=True)
def test_every_try_of_a_message_carries_the_same_message_id(settings):
    with smtp_server() as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.DEFAULT_FROM_EMAIL = inbox.host, inbox.port, "d@x.example"
        message = enqueue_notification(recipients=["a@example.test"], subject="s", body="b", at=NOON)
        assert send_pending_messages(now=NOON).sent == 1
        Outbox.objects.filter(pk=message.pk).update(status="pending", next_attempt_at=NOON)  # as if never marked
        assert send_pending_messages(now=NOON).sent == 1
    first, second = (received.message["Message-ID"] for received in inbox.received)
    assert first == second == f"<outbox-{message.pk}-{int(NOON.timestamp())}@x.example>"
