"""Reports by mail go through the outbox like every other message: one per recipient in their language,
the PDF and the spreadsheet stored with the message and sent at every try to a real SMTP server, a
refused try retried at its turn and delivered once."""

from datetime import UTC, datetime, timedelta

import pytest

from servicepact.notify.actions import Attachment, enqueue_notification
from servicepact.notify.models import Outbox, OutboxAttachment, OutboxStatus
from servicepact.notify.sending import message_id, send_pending_messages
from servicepact.notify.tests.mail_world import smtp  # noqa: F401 (a fixture)
from servicepact.slm.models import DeliveryStatus, ReportDelivery, ReportKind, ReportSubscription
from servicepact.slm.reporting.delivery import plan_deliveries, settle_deliveries
from servicepact.slm.reporting.generation import ReportRequest, generate_report

NOW = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def files_of(message) -> dict[str, tuple[str, bytes]]:
    return {
        part.get_filename(): (part.get_content_type(), part.get_payload(decode=True))
        for part in message.walk()
        if part.get_filename()
    }


def test_a_report_reaches_each_subscriber_with_its_files_once_after_a_refused_try(world, smtp):
    manager = world.people["customer-manager"]
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    ReportSubscription.objects.create(
        contract=world.contract, kind=ReportKind.MONTHLY, recipients=[manager.email, "sla@northwind.example"]
    )
    report = generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, "2026-03"), now=NOW)
    Outbox.objects.all().delete()

    [delivery] = plan_deliveries(report, NOW)
    messages = {message.recipients[0]: message for message in Outbox.objects.filter(key__startswith="report-delivery:")}
    assert set(messages) == {manager.email, "sla@northwind.example"}
    assert messages[manager.email].subject == "服务级别报告 globex-ito 2026-03"  # the manager's language
    assert messages["sla@northwind.example"].subject == "Service level report globex-ito 2026-03"
    stored = OutboxAttachment.objects.filter(message=messages[manager.email])
    assert [(item.name, item.content_type) for item in stored] == [
        ("globex-ito-2026-03.pdf", "application/pdf"),
        ("globex-ito-2026-03.xlsx", XLSX),
    ]

    smtp.refuse_next = 1  # the mail server refuses the first message for a while
    first = send_pending_messages(now=NOW)
    assert (first.sent, first.retried) == (1, 1)
    [refused] = Outbox.objects.filter(key__startswith="report-delivery:", status=OutboxStatus.PENDING)
    assert refused.tries == 1 and "451" in refused.last_error
    assert refused.next_attempt_at == NOW + timedelta(minutes=1)
    assert settle_deliveries() == {"delivered": 0, "undeliverable": 0}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and "451" in delivery.last_error

    assert send_pending_messages(now=NOW).sent == 0  # not its turn yet
    assert send_pending_messages(now=NOW + timedelta(minutes=1)).sent == 1
    assert send_pending_messages(now=NOW + timedelta(hours=1)).sent == 0  # nothing leaves twice
    assert plan_deliveries(report, NOW) == []  # planning again queues nothing
    assert Outbox.objects.filter(key__startswith="report-delivery:").count() == 2

    by_recipient = {item.envelope_to[0]: item.message for item in smtp.received}
    assert sorted(by_recipient) == sorted([manager.email, "sla@northwind.example"])
    assert all(len(item.envelope_to) == 1 for item in smtp.received)  # one message per recipient
    assert by_recipient[refused.recipients[0]]["Message-ID"] == message_id(refused)
    for message in by_recipient.values():
        files = files_of(message)
        assert set(files) == {"globex-ito-2026-03.pdf", "globex-ito-2026-03.xlsx"}
        assert files["globex-ito-2026-03.pdf"][0] == "application/pdf"
        assert files["globex-ito-2026-03.pdf"][1].startswith(b"%PDF")
        assert files["globex-ito-2026-03.xlsx"][0] == XLSX
        assert files["globex-ito-2026-03.xlsx"][1].startswith(b"PK")  # a zip: the workbook

    assert settle_deliveries() == {"delivered": 1, "undeliverable": 0}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at is not None and delivery.last_error == ""
    assert ReportDelivery.objects.count() == 1


def test_bad_attachments_are_refused_by_position_and_nothing_is_queued(db):
    for attachment, field in [
        (Attachment("", b"x", "text/plain"), "attachments[0].name"),
        (Attachment("../etc/passwd", b"x", "text/plain"), "attachments[0].name"),
        (Attachment("a.txt", "text", "text/plain"), "attachments[0].content"),
        (Attachment("a.txt", b"x", "plain"), "attachments[0].content_type"),
    ]:
        with pytest.raises(ValueError, match=field.replace("[", r"\[").replace("]", r"\]")):
            enqueue_notification(recipients=["a@example.test"], subject="s", body="b", attachments=[attachment])
    assert not Outbox.objects.exists()
