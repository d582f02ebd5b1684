"""Mail about a ticket carries the ticket's thread id, so that answers come back to it, and says it is
automatic, so that out-of-office responders stay quiet."""

from datetime import UTC, datetime

import pytest

from servicepact.desk.actions import create_ticket
from servicepact.notify.actions import enqueue_notification
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tests.test_outbox import smtp  # noqa: F401

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_a_notice_about_a_ticket_refers_to_the_tickets_thread(smtp, settings, world):  # noqa: F811
    settings.DEFAULT_FROM_EMAIL = "Service desk <desk@northwind.example>"
    requester = world.people["requester"]
    ticket = create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["sso"],
        title="Badge reader",
        impact="low",
        urgency="low",
    )
    enqueue_notification(recipients=["lead@example.test"], subject="about it", body="b", ticket=ticket, at=NOON)
    enqueue_notification(recipients=["lead@example.test"], subject="no ticket", body="b", at=NOON)
    send_pending_messages(now=NOON)
    about = next(item.message for item in smtp.received if item.message["Subject"] == "about it")
    other = next(item.message for item in smtp.received if item.message["Subject"] == "no ticket")
    thread = f"<ticket-{ticket.number}@northwind.example>"
    assert (about["In-Reply-To"], about["References"], about["X-Servicepact-Ticket"]) == (thread, thread, ticket.number)
    assert about["Auto-Submitted"] == other["Auto-Submitted"] == "auto-generated"
    assert about["Message-ID"].endswith("@northwind.example>") and other["References"] is None
