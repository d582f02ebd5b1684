"""The ticket page and its actions through the web: permissions, HTMX answers, inline errors."""

import pytest
from django.urls import reverse

from servicepact.desk import actions
from servicepact.desk.models import EventType, Impact, Status, Ticket, Urgency

# The world's people get quick password hashes: the views are under test here, not PBKDF2.
pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ticket(world) -> Ticket:
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Invoices cannot be posted",
        impact=Impact.HIGH,
        urgency=Urgency.MEDIUM,
        description="Posting fails with error F5 702.",
    )


def url(name: str, ticket: Ticket) -> str:
    return reverse(f"desk:{name}", args=[ticket.number])


def htmx(client, path: str, data: dict):
    return client.post(path, data, HTTP_HX_REQUEST="true")


def test_agent_sees_the_full_ticket_page(client, agent, ticket):
    client.force_login(agent)
    response = client.get(url("ticket", ticket))
    assert response.status_code == 200
    page = response.content.decode()
    assert ticket.number in page and "Invoices cannot be posted" in page
    assert 'id="action-route"' in page and 'id="action-note"' in page
    assert "SAP ERP" in page and "globex-ito v1" in page


def test_requester_gets_the_portal_page_without_agent_actions(client, requester, ticket):
    client.force_login(requester)
    page = client.get(url("ticket", ticket)).content.decode()
    assert 'id="action-reply"' in page
    assert 'id="action-note"' not in page and 'id="action-route"' not in page


def test_other_customer_gets_404_and_cannot_post(client, world, ticket):
    client.force_login(world.people["other-requester"])
    assert client.get(url("ticket", ticket)).status_code == 404
    assert client.post(url("reply", ticket), {"reply-body": "hello"}).status_code == 404
    assert ticket.events.count() == 1


def test_anonymous_is_sent_to_login(client, ticket):
    response = client.get(url("ticket", ticket))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_requester_may_not_route_and_nothing_changes(client, requester, ticket):
    client.force_login(requester)
    response = client.post(url("route", ticket))
    assert response.status_code == 403
    assert ticket.events.count() == 1


def test_reply_by_htmx_returns_the_ticket_with_the_reply(client, agent, ticket):
    client.force_login(agent)
    response = htmx(client, url("reply", ticket), {"reply-body": "We are looking at it."})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div id="ticket"') and "We are looking at it." in page
    assert ticket.events.filter(type=EventType.REPLIED).count() == 1


def test_empty_reply_by_htmx_is_422_with_the_error_inline(client, agent, ticket):
    client.force_login(agent)
    response = htmx(client, url("reply", ticket), {"reply-body": ""})
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#action-reply"
    page = response.content.decode()
    assert 'id="action-reply"' in page and "errorlist" in page
    assert ticket.events.count() == 1


def test_plain_post_redirects_to_the_ticket(client, agent, ticket):
    client.force_login(agent)
    response = client.post(url("note", ticket), {"note-body": "Checked the logs."})
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    note = ticket.events.get(type=EventType.NOTE)
    assert note.public is False


def test_internal_note_is_hidden_from_the_requester(client, agent, requester, ticket):
    actions.add_note(ticket, actor=agent, body="The customer's basis team broke it.")
    client.force_login(requester)
    assert "basis team" not in client.get(url("ticket", ticket)).content.decode()
    client.force_login(agent)
    assert "basis team" in client.get(url("ticket", ticket)).content.decode()


def test_route_then_resolve_then_requester_sees_it_resolved(client, agent, requester, ticket):
    client.force_login(agent)
    assert client.post(url("route", ticket)).status_code == 302
    ticket.refresh_from_db()
    assert ticket.team.slug == "app-support-cn" and ticket.status == Status.ASSIGNED
    assert client.post(url("resolve", ticket), {"resolve-resolution": "Posting period reopened."}).status_code == 302
    client.force_login(requester)
    page = client.get(url("ticket", ticket)).content.decode()
    assert 'data-status="resolved"' in page and "Posting period reopened." in page


def test_refused_action_shows_the_refusal_on_the_form(client, agent, ticket):
    client.force_login(agent)
    # new -> new is no move: the action refuses, the form shows it, nothing is written.
    response = client.post(url("status", ticket), {"status-status": "new"})
    assert response.status_code == 422
    assert ticket.events.count() == 1


def test_priority_change_needs_a_reason(client, agent, ticket):
    client.force_login(agent)
    response = htmx(
        client, url("priority", ticket), {"priority-impact": "low", "priority-urgency": "low", "priority-reason": ""}
    )
    assert response.status_code == 422
    assert "priority-reason" in response.content.decode()
    response = htmx(
        client,
        url("priority", ticket),
        {"priority-impact": "low", "priority-urgency": "low", "priority-reason": "Only one user affected"},
    )
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.priority == "P4"


def test_watch_toggles(client, agent, ticket):
    client.force_login(agent)
    client.post(url("watch", ticket))
    assert ticket.watchers.filter(pk=agent.pk).exists()
    client.post(url("watch", ticket))
    assert not ticket.watchers.filter(pk=agent.pk).exists()
