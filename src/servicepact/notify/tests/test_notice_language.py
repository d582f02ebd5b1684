"""Notices speak their recipient's language, whatever the language of the person who made the change: the
service's own words (what happened, a clock's name) are rendered per recipient, a person's words (a
reply) stay as written."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from servicepact.desk import actions
from servicepact.notify.models import Notice, Outbox
from servicepact.slm.sweep import sweep
from servicepact.slm.tests.conftest import open_ticket, version_with_warnings

ENGLISH_PHRASES = ["assigned to you", "You now work this ticket", "Ticket ", "priority", "Open it", "changed"]


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def mail_to(address: str) -> Outbox:
    [message] = [message for message in Outbox.objects.all() if message.recipients == [address]]
    return message


@pytest.fixture
def chinese_resolver(world):
    person = world.people["resolver"]
    person.language, person.timezone = "zh-hans", "Asia/Shanghai"
    person.save(update_fields=["language", "timezone"])
    return person


@pytest.fixture
def routed(world):
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=utc(2026, 3, 2, 9, 1))
    Notice.objects.all().delete()
    Outbox.objects.all().delete()
    return ticket


def test_an_assignment_by_an_english_speaker_reaches_a_chinese_speaker_in_chinese(world, chinese_resolver, routed):
    with translation.override("en"):  # the team lead works in English
        actions.set_assignee(
            routed, actor=world.people["team-lead"], assignee=chinese_resolver, at=utc(2026, 3, 2, 9, 2)
        )
    notice = Notice.objects.get(recipient=chinese_resolver)
    assert notice.text == f"{routed.number} {routed.title}: 已分派给您"
    mail = mail_to(chinese_resolver.email)
    assert mail.subject == f"[{routed.number}] {routed.title}：已分派给您"
    assert mail.body.startswith("此工单现由您处理。\n\n工单 ")
    assert "打开：" in mail.body and "(Asia/Shanghai)" in mail.body
    text = mail.subject + mail.body + notice.text
    assert not [phrase for phrase in ENGLISH_PHRASES if phrase in text.replace(routed.title, "")]


def test_a_chinese_speakers_reply_reaches_an_english_speaker_in_english_its_text_as_written(
    world, chinese_resolver, routed
):
    actions.set_assignee(routed, actor=world.people["team-lead"], assignee=chinese_resolver, at=utc(2026, 3, 2, 9, 2))
    Notice.objects.all().delete()
    Outbox.objects.all().delete()
    with translation.override("zh-hans"):  # the resolver works in Chinese
        actions.reply(routed, actor=chinese_resolver, body="正在处理，请稍候。", at=utc(2026, 3, 2, 9, 5))
    notice = Notice.objects.get(recipient=world.people["requester"])
    assert notice.text == f"{routed.number} {routed.title}: new reply"
    mail = mail_to(world.people["requester"].email)
    assert mail.subject == f"[{routed.number}] {routed.title}: new reply"
    assert mail.body.startswith("正在处理，请稍候。\n\nTicket ")  # the reply as written, the rest in English


def test_a_clock_warning_names_the_clock_in_the_recipients_language(world, chinese_resolver):
    version_with_warnings(world)  # the ticket is pinned to the version with warnings
    routed = open_ticket(world)
    actions.route_ticket(routed, actor=world.people["agent"], at=utc(2026, 3, 2, 9, 1))
    actions.set_assignee(routed, actor=world.people["team-lead"], assignee=chinese_resolver, at=utc(2026, 3, 2, 9, 2))
    Notice.objects.all().delete()
    Outbox.objects.all().delete()
    with translation.override("en"):
        sweep(utc(2026, 3, 2, 9, 31))  # nobody answered within 30 minutes: the response clock breached
    breached = {message.recipients[0]: message.subject for message in Outbox.objects.all()}
    assert breached[chinese_resolver.email] == f"{routed.number}：响应 计时已违约（P2）"
    assert breached["team-lead@example.test"] == f"{routed.number}: Response clock breached (P2)"
    notices = dict(Notice.objects.values_list("recipient__email", "text"))
    assert notices[chinese_resolver.email] == breached[chinese_resolver.email]
    assert notices["team-lead@example.test"] == breached["team-lead@example.test"]

    Notice.objects.all().delete()
    Outbox.objects.all().delete()
    with translation.override("en"):
        assert sweep(utc(2026, 3, 2, 13, 0)).warnings == 1  # 50% of the resolution clock, to the assignee
    mail = Outbox.objects.get(key__startswith="clock-warning:")
    assert mail.recipients == [chinese_resolver.email]
    assert mail.subject == f"{routed.number}：解决 计时已用 50%（P2）"
    assert "resolution" not in mail.body.lower()
    notice = Notice.objects.get(recipient=chinese_resolver)
    assert notice.text == mail.subject and notice.ticket == routed
