"""A major incident's update reaches each of the customer's managers as a message of their own: the
service's words in the manager's language, the next update's time in their zone, the update's text as its
author wrote it, and a link to the major incident; sent through a real SMTP server, each once."""

from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import translation

from servicepact.major_incidents import actions
from servicepact.notify.models import Outbox
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tests.mail_world import BASE_URL, chinese_manager, smtp  # noqa: F401

DECLARED = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def major(world):
    return actions.declare(
        actor=world.people["team-lead"],
        contract=world.contract,
        title="SAP ERP unavailable",
        services=[world.services["sap-erp"]],
        started_at=DECLARED - timedelta(minutes=20),
        update_interval_minutes=30,
        at=DECLARED,
    )


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_each_manager_gets_the_update_in_their_language_and_zone(world, chinese_manager, major, smtp):
    english = world.people["customer-manager"]
    with translation.override("zh-hans"):  # the commander works in Chinese
        update = actions.post_update(
            major, actor=world.people["team-lead"], text="Failover to the standby database is running.", at=DECLARED
        )
    messages = {message.recipients[0]: message for message in Outbox.objects.filter(key__startswith="major-incident-")}
    assert sorted(messages) == sorted([english.email, chinese_manager.email])  # n recipients, n messages
    assert all(len(message.recipients) == 1 for message in messages.values())
    assert len({message.key for message in messages.values()}) == 2

    chinese = messages[chinese_manager.email]
    assert chinese.subject == f"[{major.number}] 重大事件更新：SAP ERP unavailable"
    assert chinese.body.startswith(f"重大事件 {major.number}：SAP ERP unavailable\n状态：")
    assert "受影响的服务：" in chinese.body
    assert "Failover to the standby database is running." in chinese.body  # the author's words as written
    assert "2026-03-02 09:30 (Asia/Shanghai)" in chinese.body  # the next update, 01:30 UTC, in Shanghai
    assert f"打开：{BASE_URL}/major-incidents/{major.pk}/" in chinese.body
    assert "Status" not in chinese.body and "Affected services" not in chinese.body

    english_mail = messages[english.email]
    assert english_mail.subject == f"[{major.number}] Major incident update: SAP ERP unavailable"
    assert "Status: Active" in english_mail.body and "Affected services: " in english_mail.body
    assert "Next update by 2026-03-02 01:30 (UTC)." in english_mail.body
    assert f"Open it: {BASE_URL}/major-incidents/{major.pk}/" in english_mail.body
    assert update.recipients == [english.email, chinese_manager.email]  # the log keeps who was told

    assert send_pending_messages(now=DECLARED).sent == 2
    assert send_pending_messages(now=DECLARED + timedelta(hours=1)).sent == 0  # nothing leaves twice
    received = {item.envelope_to[0]: item.message for item in smtp.received}
    assert all(len(item.envelope_to) == 1 for item in smtp.received)
    assert subject_of(received[chinese_manager.email]) == chinese.subject
    assert subject_of(received[english.email]) == english_mail.subject


def test_the_overdue_reminder_speaks_the_declarers_language_once(world, major):
    lead = world.people["team-lead"]
    lead.language, lead.timezone = "zh-hans", "Asia/Shanghai"
    lead.save(update_fields=["language", "timezone"])
    due = major.next_update_due
    with translation.override("en"):  # the scheduler's worker runs in the service's language
        assert actions.remind_overdue_updates(now=due + timedelta(minutes=1)) == 1
        assert actions.remind_overdue_updates(now=due + timedelta(minutes=6)) == 0  # run again: nothing twice
    reminder = Outbox.objects.get(key__startswith="major-incident-reminder:")
    assert reminder.recipients == [lead.email]
    assert reminder.subject == f"[{major.number}] 给客户的下次更新已到期：SAP ERP unavailable"
    assert "2026-03-02 09:30 (Asia/Shanghai)" in reminder.body and "打开：" in reminder.body
