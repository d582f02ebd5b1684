"""Each person hears of a ticket's change in a message of their own, in their language and zone, with a
link to the ticket."""

from datetime import UTC, datetime

import pytest

from servicepact.desk import actions
from servicepact.notify.models import Outbox

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_one_message_per_recipient_in_their_language_and_zone_with_a_link(world, settings):
    settings.SERVICEPACT_BASE_URL = "https://desk.northwind.example/"
    requester = world.people["requester"]
    requester.language, requester.timezone = "zh-hans", "Asia/Shanghai"
    requester.save()
    watcher = world.people["customer-manager"]
    ticket = actions.create_ticket(
        actor=world.people["agent"],
        requester=requester,
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
        at=MONDAY,
    )
    actions.add_watcher(ticket, actor=world.people["agent"], user=watcher, at=MONDAY)
    Outbox.objects.all().delete()
    actions.reply(ticket, actor=world.people["agent"], body="Which company code?", at=MONDAY)
    to_requester = Outbox.objects.get(recipients=[requester.email])
    to_watcher = Outbox.objects.get(recipients=[watcher.email])
    assert to_requester.subject.startswith(f"[{ticket.number}] Posting fails：")  # the Chinese colon
    assert "工单" in to_requester.body and "2026" in to_requester.body and "17:00" in to_requester.body
    assert "(Asia/Shanghai)" in to_requester.body
    assert f"https://desk.northwind.example/tickets/{ticket.number}/" in to_requester.body
    assert "Ticket" in to_watcher.body and "9 a.m. (UTC)" in to_watcher.body
