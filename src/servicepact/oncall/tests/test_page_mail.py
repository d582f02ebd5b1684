"""A page's mail is one message per paged person: the service's words in that person's language, the
page's start in their zone, the person's own signed link; a step run twice mails nobody twice; sent through a
real SMTP server."""

import datetime as dt
import re
from email.header import decode_header, make_header

import pytest
from django.utils import translation

from servicepact.accounts.models import Role
from servicepact.notify.models import Outbox
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tests.mail_world import chinese_person, smtp  # noqa: F401
from servicepact.oncall import actions
from servicepact.oncall.escalation import run_due_step

T = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def chinese_lead(world):
    team = world.teams["app-cn"]
    return chinese_person(world.provider, Role.TEAM_LEAD, email="zuzhang@example.test", name="Zhang Wei", team=team)


def test_the_team_leads_step_mails_each_lead_in_their_language_once(world, rotas, second, chinese_lead, smtp):
    english = world.people["team-lead"]
    with translation.override("en"):  # an English-speaking agent starts the page
        page = actions.start_page(team=world.teams["app-cn"], title="SAP down", actor=world.people["agent"], at=T)
    assert run_due_step(page.pk, 1, T + 10 * MINUTE) is not None  # the secondary
    Outbox.objects.all().delete()
    assert run_due_step(page.pk, 2, T + 30 * MINUTE) is not None  # the team leads
    assert run_due_step(page.pk, 2, T + 31 * MINUTE) is None  # fired twice: nobody is mailed twice
    messages = {message.recipients[0]: message for message in Outbox.objects.filter(key__startswith="page:")}
    assert sorted(messages) == sorted([english.email, chinese_lead.email])  # n leads, n messages
    assert all(len(message.recipients) == 1 for message in messages.values())

    chinese = messages[chinese_lead.email]
    assert chinese.subject == "Application support China 的呼叫：SAP down"
    assert "在此确认或解决" in chinese.body and "2026-03-02 10:00 (Asia/Shanghai)" in chinese.body
    assert "You are paged" not in chinese.body
    english_mail = messages[english.email]
    assert english_mail.subject == "Page for Application support China: SAP down"
    assert "Started 2026-03-02 02:00 (UTC)." in english_mail.body
    links = {
        address: re.search(r"https://servicepact\.example\.test/\S+", m.body)[0] for address, m in messages.items()
    }
    assert links[english.email] != links[chinese_lead.email]  # each link stands for its own reader

    assert send_pending_messages(now=T + 30 * MINUTE).sent == 2
    assert send_pending_messages(now=T + 90 * MINUTE).sent == 0
    assert all(len(item.envelope_to) == 1 for item in smtp.received)
    received = {item.envelope_to[0]: item.message for item in smtp.received}
    assert str(make_header(decode_header(received[chinese_lead.email]["Subject"]))) == chinese.subject
