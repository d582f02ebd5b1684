"""The ticket page's "Correct service or category" form and the correction in the timeline."""

import pytest
from django.urls import reverse

from servicepact.contracts.models import Category
from servicepact.desk import actions
from servicepact.desk.models import Ticket

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ticket(world) -> Ticket:
    Category.objects.create(contract=world.contract, key="password-reset", name="Password reset")
    Category.objects.create(contract=world.contract, key="hardware-onsite", name="Hardware on site")
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Cannot log in to SAP",
        impact="medium",
        urgency="medium",
    )


def correct_url(ticket: Ticket) -> str:
    return reverse("desk:correct", args=[ticket.number])


def page(client, ticket: Ticket) -> str:
    return client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()


def test_the_form_is_offered_to_those_who_may_triage_the_ticket(client, world, ticket):
    client.force_login(world.people["agent"])
    html = page(client, ticket)
    assert 'id="action-correct"' in html and "Correct service or category" in html
    assert '<option value="sso">Single sign-on</option>' in html
    assert '<option value="sap-erp" selected>SAP ERP</option>' in html
    assert '<option value="password-reset">Password reset</option>' in html
    for person in ("resolver", "requester"):
        client.force_login(world.people[person])
        assert 'id="action-correct"' not in page(client, ticket)


def test_a_correction_through_the_form_shows_in_the_head_and_the_timeline(client, world, ticket):
    client.force_login(world.people["agent"])
    response = client.post(
        correct_url(ticket),
        {"correct-service": "sso", "correct-category": "password-reset", "correct-reason": "An expired SSO password"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Single sign-on" in html and "password-reset" in html
    assert "corrected the service from SAP ERP to Single sign-on and the category from none to Password reset" in html
    assert "An expired SSO password" in html
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.service.key, stored.category) == ("sso", "password-reset")


def test_without_a_reason_the_form_comes_back_with_the_error_and_nothing_changes(client, world, ticket):
    client.force_login(world.people["agent"])
    response = client.post(
        correct_url(ticket),
        {"correct-service": "sso", "correct-category": "", "correct-reason": "  "},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="action-correct"') and "errorlist" in html
    assert ticket.events.count() == 1 and Ticket.objects.get(pk=ticket.pk).service.key == "sap-erp"


def test_unchanged_values_come_back_as_a_refusal_on_the_fields(client, world, ticket):
    client.force_login(world.people["agent"])
    response = client.post(
        correct_url(ticket), {"correct-service": "sap-erp", "correct-category": "", "correct-reason": "Checking"}
    )
    assert response.status_code == 422
    assert "nothing to correct" in response.content.decode()
    assert ticket.events.count() == 1


def test_those_who_may_not_triage_get_403_and_change_nothing(client, world, ticket):
    client.force_login(world.people["resolver"])
    response = client.post(correct_url(ticket), {"correct-service": "sso", "correct-reason": "mine"})
    assert response.status_code == 403
    assert ticket.events.count() == 1


def test_the_timeline_in_english_and_chinese(client, world, ticket):
    agent = world.people["agent"]
    actions.correct_classification(ticket, actor=agent, service=world.services["sso"], reason="SSO")
    actions.correct_classification(ticket, actor=agent, category="hardware-onsite", reason="A card reader")
    client.force_login(agent)
    html = page(client, ticket)
    assert "corrected the service from SAP ERP to Single sign-on" in html
    assert "corrected the category from none to Hardware on site" in html and "A card reader" in html
    agent.language = "zh-hans"
    agent.save(update_fields=["language"])
    html = page(client, ticket)
    assert "将服务从 SAP ERP 更正为 Single sign-on" in html
    assert "将类别从 无 更正为 Hardware on site" in html
    assert "更正服务或类别" in html and "记录更正" in html


def test_the_requester_sees_the_correction_on_the_portal_page(client, world, ticket):
    actions.correct_classification(
        ticket, actor=world.people["agent"], service=world.services["sso"], reason="An expired SSO password"
    )
    client.force_login(world.people["requester"])
    html = page(client, ticket)
    assert "corrected the service from SAP ERP to Single sign-on" in html and "An expired SSO password" in html
