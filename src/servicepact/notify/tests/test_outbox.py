"""The outbox: queueing in the caller's transaction, sending to a real SMTP server, retrying, giving up."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from servicepact.notify.actions import enqueue_notification
from servicepact.notify.models import Outbox, OutboxStatus
from servicepact.notify.sending import MAX_TRIES, _claim, send_pending_messages
from servicepact.notify.tests.smtp_server import free_port, smtp_server

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def smtp(settings):
    with smtp_server() as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = inbox.host, inbox.port
        settings.EMAIL_TIMEOUT = 5
        yield inbox


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there
    settings.EMAIL_TIMEOUT = 2


def queue(**overrides) -> Outbox | None:
    fields = dict(
        recipients=["lead@example.test", "manager@example.test"],
        subject="INC0000001: 90% of resolution used",
        body="The resolution clock is due at 17:00.",
        at=NOON,
    )
    fields.update(overrides)
    return enqueue_notification(**fields)


@pytest.mark.django_db(transaction=True)
def test_a_queued_message_arrives_at_the_smtp_server(smtp, settings):
    settings.DEFAULT_FROM_EMAIL = "desk@northwind.example"
    message = queue()
    result = send_pending_messages(now=NOON)
    assert (result.sent, result.retried, result.failed) == (1, 0, 0)
    [received] = smtp.received
    assert sorted(received.envelope_to) == ["lead@example.test", "manager@example.test"]
    assert received.message["Subject"] == "INC0000001: 90% of resolution used"
    assert received.message["From"] == "desk@northwind.example"
    assert "due at 17:00" in received.message.get_payload(decode=True).decode()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.tries == 1 and message.sent_at is not None
    assert send_pending_messages(now=NOON).sent == 0  # never sent twice


@pytest.mark.django_db(transaction=True)
def test_messages_wait_for_their_turn(smtp):
    queue(at=NOON + timedelta(minutes=5))
    assert send_pending_messages(now=NOON).sent == 0
    assert send_pending_messages(now=NOON + timedelta(minutes=5)).sent == 1
    assert len(smtp.received) == 1


@pytest.mark.django_db
def test_an_unreachable_server_means_retries_then_giving_up(smtp_down):
    message = queue()
    assert send_pending_messages(now=NOON).retried == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.tries == 1
    assert message.next_attempt_at == NOON + timedelta(minutes=1)
    assert message.last_error
    assert send_pending_messages(now=NOON).retried == 0  # not before its next turn
    moment = NOON
    for _ in range(MAX_TRIES - 1):
        moment += timedelta(days=1)
        send_pending_messages(now=moment)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.tries == MAX_TRIES


@pytest.mark.django_db
def test_bad_recipients_are_refused_by_position_and_value():
    with pytest.raises(ValueError, match=r"recipients\[1\]: 'not-an-address'"):
        queue(recipients=["lead@example.test", "not-an-address"])
    with pytest.raises(ValueError, match="subject"):
        queue(subject="  ")
    assert not Outbox.objects.exists()


@pytest.mark.django_db
def test_nobody_to_tell_or_a_key_queued_already_queues_nothing():
    assert queue(recipients=[]) is None
    first = queue(key="clock-warning:INC0000001:resolution:9/10", recipients=["a@example.test", "A@example.test"])
    assert first.recipients == ["a@example.test"]
    assert queue(key="clock-warning:INC0000001:resolution:9/10") is None
    assert Outbox.objects.count() == 1


@pytest.mark.django_db
def test_the_sender_is_woken_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    assert DBTaskResult.objects.filter(task_path="servicepact.notify.tasks.send_pending").count() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(key="rolled-back")
        raise RuntimeError("the change failed")
    assert not Outbox.objects.filter(key="rolled-back").exists()


@pytest.mark.django_db
def test_a_message_claimed_by_another_sender_is_left_alone(smtp_down):
    message = queue()
    stale = Outbox.objects.get(pk=message.pk)
    Outbox.objects.filter(pk=message.pk).update(tries=1)  # another sender claimed it meanwhile
    assert not _claim(stale, NOON)
    message.refresh_from_db()
    assert message.tries == 1 and message.next_attempt_at == NOON
