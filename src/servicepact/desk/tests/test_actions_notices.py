"""Ticket changes queue messages for the people concerned; internal content never goes out."""

from datetime import UTC, datetime, timedelta

import pytest

from servicepact.desk import actions
from servicepact.notify.models import Outbox

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ticket(world):
    world.teams["app-cn"].email = "app-cn@northwind.test"
    world.teams["app-cn"].save()
    return actions.create_ticket(
        actor=world.people["agent"],
        requester=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
        at=MONDAY,
    )


def sent_to(address: str) -> list[str]:
    return [message.subject for message in Outbox.objects.order_by("id") if address in message.recipients]


def test_requester_hears_of_receipt_replies_and_resolution(world, ticket):
    actions.route_ticket(ticket, actor=world.people["agent"], at=MONDAY + timedelta(minutes=1))
    actions.add_note(ticket, actor=world.people["resolver"], body="secret root cause", at=MONDAY + timedelta(minutes=2))
    actions.reply(ticket, actor=world.people["resolver"], body="Which company code?", at=MONDAY + timedelta(minutes=3))
    actions.resolve_ticket(
        ticket, actor=world.people["resolver"], resolution="Reposted", at=MONDAY + timedelta(hours=1)
    )
    assert sent_to("requester@example.test") == [
        "[INC0000001] Posting fails: received",
        "[INC0000001] Posting fails: new reply",
        "[INC0000001] Posting fails: resolved",
        "[INC0000001] How did we do?",  # the satisfaction survey (servicepact/surveys)
    ]
    assert not any("secret" in message.body for message in Outbox.objects.all())
    assert sent_to("app-cn@northwind.test") == ["[INC0000001] Posting fails: assigned to Application support China"]


def test_the_author_of_a_change_is_not_told_of_it(world, ticket):
    actions.reply(ticket, actor=world.people["requester"], body="Any news?", at=MONDAY + timedelta(minutes=3))
    assert sent_to("requester@example.test") == ["[INC0000001] Posting fails: received"]
