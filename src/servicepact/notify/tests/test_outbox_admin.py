"""The outbox in Django's admin: how much mail waits, fails or was given up, said at the top of the list,
filtered by it, each message with its last error and its attachments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from servicepact.notify.actions import Attachment, enqueue_notification
from servicepact.notify.models import Outbox, OutboxStatus
from servicepact.testing import factories


@pytest.fixture
def operator(client, db):
    person = factories.UserFactory(email="operator@example.test", is_staff=True, is_superuser=True)
    client.force_login(person)
    return client


def queue(subject: str, **fields) -> Outbox:
    message = enqueue_notification(
        recipients=["lead@example.test"],
        subject=subject,
        body="b",
        attachments=[Attachment("report.pdf", b"%PDF-1.7 tiny", "application/pdf")],
    )
    Outbox.objects.filter(pk=message.pk).update(**fields)
    return message


def test_the_list_says_how_much_mail_is_stuck_and_filters_it(operator):
    now = timezone.now()
    queue("Mail fresh")
    queue("Mail failing", last_error="SMTPDataError: (451, b'try again later')", tries=2)
    queue("Mail overdue", created_at=now - timedelta(hours=2))
    queue("Mail given up", status=OutboxStatus.FAILED, tries=6, last_error="ConnectionRefusedError: [Errno 111]")
    queue("Sent", status=OutboxStatus.SENT, sent_at=now)
    url = reverse("admin:notify_outbox_changelist")
    page = operator.get(url).content.decode()
    state = page[page.index('id="mail-state"') :][:1200]
    assert 'class="error"' in state
    assert "3 messages wait to be sent" in state
    assert "failing: 1, overdue: 1, given up: 1." in state
    assert "the oldest for 2" in state  # hours
    assert "ConnectionRefusedError: [Errno 111]" in page and "SMTPDataError" in page  # the last errors

    def listed(trouble: str) -> str:
        return operator.get(url, {"trouble": trouble}).content.decode()

    assert "Mail given up" in listed("given_up") and "Mail failing" not in listed("given_up")
    assert "Mail failing" in listed("failing") and "Mail overdue" not in listed("failing")
    assert "Mail overdue" in listed("overdue") and "Mail fresh" not in listed("overdue")


def test_all_clear_and_a_message_shows_its_attachments(operator):
    message = queue("Sent", status=OutboxStatus.SENT, sent_at=timezone.now())
    page = operator.get(reverse("admin:notify_outbox_changelist")).content.decode()
    assert 'class="success"' in page[page.index('id="mail-state"') :][:300]
    assert "0 messages wait to be sent" in page
    detail = operator.get(reverse("admin:notify_outbox_change", args=[message.pk])).content.decode()
    assert "report.pdf" in detail and "application/pdf" in detail and "%PDF" not in detail


def test_nobody_adds_or_deletes_mail_in_the_admin(operator):
    message = queue("Pending")
    assert operator.get(reverse("admin:notify_outbox_add")).status_code == 403
    assert operator.post(reverse("admin:notify_outbox_delete", args=[message.pk]), {"post": "yes"}).status_code == 403
    assert Outbox.objects.filter(pk=message.pk).exists()
