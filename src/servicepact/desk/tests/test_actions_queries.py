"""Query counts of the busiest actions stay bounded, whatever the size of the ticket's history."""

from datetime import UTC, datetime, timedelta

import pytest

from servicepact.accounts.models import User
from servicepact.desk import actions
from servicepact.desk.models import Ticket

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
# Counted with objects fresh from the database, as a request has them; each includes the live clock
# refresh (its events, clock rows, upsert, ticket due instant), the queued notification, and one lookup of
# the webhook endpoints listening per event.
CREATE_QUERIES = 17
REPLY_QUERIES = 17


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_create_and_reply_query_counts_are_bounded(world, django_assert_max_num_queries):
    fields = dict(contract=world.contract, service=world.services["sap-erp"], title="Slow", impact="low", urgency="low")
    actions.create_ticket(actor=world.people["requester"], **fields, at=MONDAY)  # loads the contract once
    requester = User.objects.get(pk=world.people["requester"].pk)
    with django_assert_max_num_queries(CREATE_QUERIES):
        ticket = actions.create_ticket(actor=requester, **fields, at=MONDAY)
    for minute in range(1, 6):
        actions.reply(ticket, actor=world.people["agent"], body="busy", at=MONDAY + timedelta(minutes=minute))
    ticket = Ticket.objects.get(pk=ticket.pk)
    agent = User.objects.get(pk=world.people["agent"].pk)
    with django_assert_max_num_queries(REPLY_QUERIES):
        actions.reply(ticket, actor=agent, body="still busy", at=MONDAY + timedelta(minutes=9))
