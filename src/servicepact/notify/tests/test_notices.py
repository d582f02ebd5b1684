"""In-app notices: posted with the mail a ticket's change sends, never to the person who made it, kept
quiet while history is replayed, read by their recipient only, counted on the header's bell."""

import pytest
from django.urls import reverse

from servicepact.desk import actions as desk
from servicepact.notify.actions import silenced
from servicepact.notify.models import Notice


@pytest.fixture
def ticket(world):
    return desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
    )


def test_a_resolution_posts_the_requester_a_notice_and_not_the_resolver(ticket, world):
    Notice.objects.all().delete()
    desk.resolve_ticket(ticket, actor=world.people["agent"], resolution="Cache cleared")
    (notice,) = Notice.objects.all()
    assert notice.recipient == world.people["requester"] and notice.ticket == ticket
    assert ticket.number in notice.text and notice.read_at is None


def test_replayed_history_posts_nothing(ticket, world):
    Notice.objects.all().delete()
    with silenced():
        desk.resolve_ticket(ticket, actor=world.people["agent"], resolution="Cache cleared")
    assert not Notice.objects.exists()


def test_the_bell_counts_opening_marks_read_and_nobody_reads_anothers(ticket, world, client):
    desk.resolve_ticket(ticket, actor=world.people["agent"], resolution="Cache cleared")
    notice = Notice.objects.get(recipient=world.people["requester"])
    client.force_login(world.people["agent"])
    assert client.get(reverse("notify:open", args=[notice.pk])).status_code == 404
    client.force_login(world.people["requester"])
    page = client.get(reverse("desk:portal")).content.decode()
    assert 'id="notice-count">1<' in page
    opened = client.get(reverse("notify:open", args=[notice.pk]))
    assert opened.status_code == 302 and opened["Location"] == ticket.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'id="notice-count"' not in client.get(reverse("notify:bell")).content.decode()


def test_the_api_lists_and_marks_ones_own_notices(ticket, world, client):
    desk.resolve_ticket(ticket, actor=world.people["agent"], resolution="Cache cleared")
    client.force_login(world.people["requester"])
    listed = client.get("/api/notices?unread_only=true").json()
    assert listed["unread"] >= 1 and listed["notices"][0]["ticket"] == ticket.number
    marked = client.post("/api/notices/read", {}, content_type="application/json").json()
    assert marked["marked"] == listed["unread"]
    assert client.get("/api/notices").json()["unread"] == 0
    client.force_login(world.people["agent"])
    assert client.post(
        "/api/notices/read", {"ids": [listed["notices"][0]["id"]]}, content_type="application/json"
    ).json() == {"marked": 0}
