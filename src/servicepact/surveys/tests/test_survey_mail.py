"""Survey invitations speak their reader's language: a ticket's survey to its requester, a relationship
survey to each of the customer's managers as a message of their own with its closing time in their zone;
asked again, nobody is mailed twice; sent through a real SMTP server."""

from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest
from django.urls import reverse
from django.utils import translation

from servicepact.desk import actions as desk
from servicepact.notify.models import Outbox
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tests.mail_world import BASE_URL, chinese_manager, smtp  # noqa: F401
from servicepact.refusals import ActionRefused
from servicepact.surveys import actions
from servicepact.surveys.models import TicketSurvey

NOW = datetime.now(UTC).replace(microsecond=0)


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_each_manager_is_asked_in_their_language_and_zone_once(world, chinese_manager, smtp):
    english = world.people["customer-manager"]
    closes = datetime(2030, 4, 1, 16, 0, tzinfo=UTC)
    with translation.override("zh-hans"):  # the administrator works in Chinese
        survey_round = actions.open_round(
            world.contract, actor=world.people["administrator"], title="2026 Q1", closes_at=closes, at=NOW
        )
    messages = {message.recipients[0]: message for message in Outbox.objects.filter(key__startswith="round:")}
    assert sorted(messages) == sorted([english.email, chinese_manager.email])  # n managers, n messages
    assert len({message.key for message in messages.values()}) == 2

    chinese = messages[chinese_manager.email]
    assert chinese.subject == f"{world.contract.title}：2026 Q1"
    assert chinese.body.startswith(f"整体而言，{world.contract.title} 下的服务情况如何？")
    assert BASE_URL + reverse("surveys:round", args=[survey_round.pk]) in chinese.body
    assert "2030-04-02 00:00 (Asia/Shanghai)" in chinese.body  # 16:00 UTC, the next day in Shanghai
    english_mail = messages[english.email]
    assert english_mail.subject == f"{world.contract.title}: 2026 Q1"
    assert english_mail.body.startswith(f"How does the service under {world.contract.title} go, as a whole?")
    assert english_mail.body.endswith("The survey closes at 2030-04-01 16:00 (UTC).\n")

    with pytest.raises(ActionRefused):  # the same round again: refused, nobody asked twice
        actions.open_round(world.contract, actor=world.people["administrator"], title="2026 Q1", closes_at=closes)
    assert Outbox.objects.filter(key__startswith="round:").count() == 2

    assert send_pending_messages().sent == 2
    assert send_pending_messages(now=NOW + timedelta(hours=1)).sent == 0
    assert all(len(item.envelope_to) == 1 for item in smtp.received)
    received = {item.envelope_to[0]: item.message for item in smtp.received}
    assert subject_of(received[chinese_manager.email]) == chinese.subject
    assert subject_of(received[english.email]) == english_mail.subject


def test_a_chinese_requester_is_invited_in_chinese_by_an_english_agent_once(world, smtp):
    requester = world.people["requester"]
    requester.language = "zh-hans"
    requester.save(update_fields=["language"])
    ticket = desk.create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
        at=NOW - timedelta(hours=3),
    )
    with translation.override("en"):
        desk.resolve_ticket(
            ticket, actor=world.people["agent"], resolution="Cache cleared", at=NOW - timedelta(hours=2)
        )
    (mail,) = Outbox.objects.filter(key__startswith="survey:")
    assert mail.recipients == [requester.email]
    assert mail.subject == f"[{ticket.number}] 我们做得怎么样？"
    assert mail.body.startswith(f"您的工单 {ticket.number}（Posting fails）已解决。")
    survey = TicketSurvey.objects.get(ticket=ticket)
    assert BASE_URL + reverse("surveys:answer", args=[survey.token]) in mail.body
    assert actions.invite(ticket, at=NOW) is None  # asked again: nothing queued
    assert Outbox.objects.filter(key__startswith="survey:").count() == 1
    send_pending_messages()
    survey_mails = [item for item in smtp.received if subject_of(item.message) == mail.subject]
    assert [item.envelope_to for item in survey_mails] == [[requester.email]]
