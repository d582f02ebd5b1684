"""The requester portal: report, follow one's tickets, reply, reopen; attachments by visibility."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servicepact.desk import actions
from servicepact.desk.models import EventType, Status, Ticket

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def new_ticket_form(world, **overrides) -> dict:
    return {
        "service": world.services["sap-erp"].pk,
        "category": "",
        "impact": "medium",
        "urgency": "high",
        "title": "Cannot print delivery notes",
        "description": "Since this morning.",
        **overrides,
    }


def test_requester_reports_an_incident(client, world, requester):
    client.force_login(requester)
    response = client.post(reverse("desk:new_ticket", args=["incident"]), new_ticket_form(world))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.requester == requester and ticket.priority == "P2" and ticket.kind == "incident"
    assert ticket.team == world.teams["desk"]


def test_report_with_missing_title_shows_the_error_and_creates_nothing(client, world, requester):
    client.force_login(requester)
    response = client.post(reverse("desk:new_ticket", args=["request"]), new_ticket_form(world, title=""))
    assert response.status_code == 422
    assert "field invalid" in response.content.decode()
    assert not Ticket.objects.exists()


def test_service_of_another_customer_is_refused(client, world, requester):
    client.force_login(requester)
    foreign = world.other_contract.services.get()
    response = client.post(reverse("desk:new_ticket", args=["incident"]), new_ticket_form(world, service=foreign.pk))
    assert response.status_code == 422 and not Ticket.objects.exists()


def test_refused_attachment_leaves_no_ticket(client, world, requester):
    client.force_login(requester)
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/x-msdownload")
    response = client.post(
        reverse("desk:new_ticket", args=["incident"]), {**new_ticket_form(world), "attachment": upload}
    )
    assert response.status_code == 422
    assert "application/x-msdownload" in response.content.decode()
    assert not Ticket.objects.exists()


def test_unknown_kind_is_404(client, requester):
    client.force_login(requester)
    assert client.get(reverse("desk:new_ticket", args=["problem"])).status_code == 404


def test_vendor_engineer_may_not_report(client, vendor_engineer):
    client.force_login(vendor_engineer)
    assert client.get(reverse("desk:new_ticket", args=["incident"])).status_code == 403


def test_my_tickets_lists_only_mine(client, world, requester):
    actions.create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["sso"],
        title="My own ticket",
        impact="low",
        urgency="low",
    )
    actions.create_ticket(
        actor=world.people["customer-manager"],
        contract=world.contract,
        service=world.services["sso"],
        title="The manager's ticket",
        impact="low",
        urgency="low",
    )
    client.force_login(requester)
    page = client.get(reverse("desk:portal")).content.decode()
    assert "My own ticket" in page and "The manager's ticket" not in page


def test_requester_replies_and_reopens(client, world, requester, agent):
    ticket = actions.create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["sso"],
        title="Token expired",
        impact="low",
        urgency="low",
    )
    actions.resolve_ticket(ticket, actor=agent, resolution="Token renewed.")
    client.force_login(requester)
    url = ticket.get_absolute_url()
    client.post(url + "reply/", {"reply-body": "Still failing for me."})
    assert ticket.events.filter(type=EventType.REPLIED, actor=requester).exists()
    response = client.post(url + "reopen/", {"reopen-reason": "Same error again."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status != Status.RESOLVED and ticket.reopen_count == 1


def test_private_attachment_is_hidden_from_the_requester(client, world, requester, agent):
    ticket = actions.create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["sso"],
        title="Token expired",
        impact="low",
        urgency="low",
    )
    event = actions.add_attachment(
        ticket,
        actor=agent,
        public=False,
        upload=SimpleUploadedFile("trace.txt", b"stack trace", content_type="text/plain"),
    )
    url = reverse("desk:attachment", args=[event.data["attachment"]])
    client.force_login(agent)
    assert client.get(url).status_code == 200
    client.force_login(requester)
    # A private file is not among what the requester sees: not found, as a file of another tenant is.
    assert client.get(url).status_code == 404
    assert "trace.txt" not in client.get(ticket.get_absolute_url()).content.decode()
    client.force_login(world.people["other-requester"])
    assert client.get(url).status_code == 404
