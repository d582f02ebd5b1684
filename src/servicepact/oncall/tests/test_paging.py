"""Pages: the first step at once, later steps by the timer (each once), the frozen policy, answering a page,
and a breach warning that names on_call; mail through a real SMTP server, webhooks to a real receiver."""

import datetime as dt
import re

import pytest
from django.test import Client

from servicepact.desk import actions as desk
from servicepact.desk.models import EventType, TicketEvent
from servicepact.notify.models import Outbox
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tests.smtp_server import smtp_server
from servicepact.oncall import actions
from servicepact.oncall.escalation import run_due_step
from servicepact.oncall.models import Page, PageNotice, PageStatus
from servicepact.refusals import ActionRefused
from servicepact.slm.sweep import sweep
from servicepact.slm.tests.conftest import version_with_warnings
from servicepact.webhooks import actions as webhooks
from servicepact.webhooks.sending import send_due
from servicepact.webhooks.signing import HEADER, verify
from servicepact.webhooks.tests.receiver import http_receiver

T = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai: "second" has the turn
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def smtp(settings):
    with smtp_server() as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = inbox.host, inbox.port
        settings.SERVICEPACT_BASE_URL = "https://servicepact.example.test"
        yield inbox


@pytest.fixture
def receiver():
    with http_receiver() as running:
        yield running


def paged(page) -> list[tuple[int, str]]:
    return [(n.step, n.person.email) for n in PageNotice.objects.filter(page=page, what="paged").order_by("step", "id")]


def test_steps_follow_the_frozen_policy_each_once(world, rotas, second):
    team, lead = world.teams["app-cn"], world.people["team-lead"]
    page = actions.start_page(team=team, title="SAP down", actor=world.people["agent"], at=T)
    assert paged(page) == [(0, "second@example.test")]
    assert (page.next_step, page.next_step_at) == (1, T + 10 * MINUTE)
    # The policy changes after the page started: the page keeps the steps it started with.
    actions.save_policy(actor=lead, team=team, name="Shorter", steps=[("team_lead", 0)])
    assert run_due_step(page.pk, 1, T + 9 * MINUTE) is None  # not its turn yet
    assert run_due_step(page.pk, 1, T + 10 * MINUTE) is not None
    assert run_due_step(page.pk, 1, T + 11 * MINUTE) is None  # fired twice: the second does nothing
    assert run_due_step(page.pk, 2, T + 29 * MINUTE) is None
    assert run_due_step(page.pk, 2, T + 30 * MINUTE) is not None
    assert run_due_step(page.pk, 2, T + 31 * MINUTE) is None
    assert paged(page) == [(0, "second@example.test"), (1, "team-lead@example.test"), (2, "team-lead@example.test")]
    page.refresh_from_db()
    assert page.policy_name == "Application support" and page.next_step_at is None
    assert Outbox.objects.filter(subject__contains="SAP down").count() == 3


def test_an_acknowledged_page_escalates_no_further_and_is_resolved_once(world, rotas, second):
    page = actions.start_page(team=world.teams["app-cn"], title="SAP down", at=T)
    actions.acknowledge_page(page, actor=second, at=T + 2 * MINUTE)
    assert run_due_step(page.pk, 1, T + 10 * MINUTE) is None
    with pytest.raises(ActionRefused):
        actions.acknowledge_page(page, actor=world.people["team-lead"])
    actions.resolve_page(page, actor=second, at=T + 20 * MINUTE)
    page.refresh_from_db()
    assert (page.status, page.acknowledged_by, page.resolved_by) == (PageStatus.RESOLVED, second, second)
    with pytest.raises(ActionRefused):
        actions.resolve_page(page, actor=second)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):  # the customer's people do not answer the provider's pages
        actions.acknowledge_page(page, actor=world.people["customer-manager"])


def test_the_mailed_link_acknowledges_and_webhooks_hear_of_the_page(world, rotas, second, smtp, receiver):
    endpoint = webhooks.create_endpoint(
        actor=world.people["administrator"], name="pager", url=receiver.url, events=["page"]
    )
    page = actions.start_page(team=world.teams["app-cn"], title="SAP down", at=T)
    send_pending_messages()
    [mail] = smtp.received
    assert mail.envelope_to == ["second@example.test"]
    body = mail.message.get_payload(decode=True).decode()
    link = re.search(r"https://servicepact\.example\.test(/\S+)", body).group(1)
    browser = Client()  # not signed in: the link stands for the person it was mailed to
    assert "SAP down" in browser.get(link).content.decode()
    assert browser.post(link, {"answer": "acknowledge"}).status_code == 200
    page.refresh_from_db()
    assert (page.status, page.acknowledged_by) == (PageStatus.ACKNOWLEDGED, second)
    assert browser.get(link[:-3] + "xyz/").status_code == 404  # a forged token
    send_due()
    assert [r.payload["event"] for r in receiver.received] == ["page.triggered", "page.acknowledged"]
    assert all(verify(endpoint.secret, r.headers[HEADER], r.body) for r in receiver.received)
    assert receiver.received[0].payload["page"]["team"] == "app-support-cn"


def test_a_breach_warning_naming_on_call_pages_the_person_on_call_at_that_instant(world, rotas, second):
    version_with_warnings(world)  # 90% of the resolution clock names on_call
    monday = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 17:00 in Shanghai: second's turn
    ticket = desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Invoices do not post",
        impact="high",
        urgency="medium",
        at=monday,
    )
    desk.route_ticket(ticket, actor=world.people["agent"], at=monday + MINUTE)
    sweep(dt.datetime(2026, 3, 2, 16, 12, tzinfo=dt.UTC))  # 90% of 8 business hours
    # The response clock's breach (the contract's default roles name on_call) and 90% of the resolution clock.
    pages = {page.key: page for page in Page.objects.all()}
    assert set(pages) == {f"clock-warning:{ticket.pk}:response:1", f"clock-warning:{ticket.pk}:resolution:9/10"}
    for page in pages.values():
        assert page.ticket == ticket and page.team == world.teams["app-cn"]
        assert paged(page) == [(0, "second@example.test")]
    warning = TicketEvent.objects.filter(ticket=ticket, type=EventType.CLOCK_WARNING, data__threshold="9/10").get()
    assert warning.data["page"] == pages[f"clock-warning:{ticket.pk}:resolution:9/10"].pk
    sweep(dt.datetime(2026, 3, 2, 16, 13, tzinfo=dt.UTC))
    assert Page.objects.count() == 2


def test_pages_and_their_mail_speak_the_persons_language(world, rotas, second, client):
    second.language = "zh-hans"
    second.save()
    page = actions.start_page(team=world.teams["app-cn"], title="SAP down", at=T)
    mail = Outbox.objects.get(key=f"page:{page.pk}:0:{second.pk}")
    assert mail.subject == "Application support China 的呼叫：SAP down"
    assert "在此确认或解决" in mail.body
    client.force_login(second)
    answer = client.get(f"/oncall/teams/{world.teams['app-cn'].slug}/")
    assert "当前值班" in answer.content.decode() and "升级策略" in answer.content.decode()


def test_the_next_steps_timer_is_queued_for_its_instant_once_the_page_commits(
    world, rotas, second, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    timers = DBTaskResult.objects.filter(task_path="servicepact.oncall.tasks.run_page_step")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = actions.start_page(team=world.teams["app-cn"], title="SAP down", at=T)
    assert not timers.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    [timer] = timers
    assert (timer.args_kwargs["args"], timer.run_after) == ([page.pk, 1], T + 10 * MINUTE)
