"""Query-count baseline of creating a ticket through the API (query_counts.json beside this file).

A create must cost the same few queries however many tickets exist, and exactly its baseline, so that
any query added to the path (a read-back, a per-row look-up) is a visible, reviewed change. The create
writes everything it does for real: the number, the ticket, its chained event, its queue, its clocks and
the acknowledgement to the desk's address in the outbox.
"""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from servicepact.accounts.tokens import create_token
from servicepact.desk.models import Ticket, TicketEvent
from servicepact.notify.models import Outbox
from servicepact.slm.models import ClockState

BASELINES = json.loads((Path(__file__).parent / "query_counts.json").read_text())
BODY = {"contract": "globex-ito", "service": "sap-erp", "title": "Posting fails", "impact": "medium", "urgency": "high"}


@pytest.fixture
def token_client(world) -> Client:
    desk = world.teams["desk"]
    desk.email = "service-desk@northwind.example"
    desk.save(update_fields=["email"])
    _, secret = create_token(actor=world.people["requester"], name="script")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def create(client: Client, **headers) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/tickets", BODY, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    return len(queries), response.json()


def test_create_is_constant_in_tickets_and_matches_baseline(token_client):
    create(token_client)  # the first request records the token's use
    few, _ = create(token_client)
    for _ in range(20):
        create(token_client)
    many, answer = create(token_client)
    assert many == few, f"a create takes {few} queries with 2 tickets and {many} with 22"
    assert many == BASELINES["api:create_ticket"], (
        f"a create takes {many} queries; baseline {BASELINES['api:create_ticket']}"
    )
    # Everything the create does was done: the answer is the stored ticket, with its clocks and its message.
    ticket = Ticket.objects.get(number=answer["number"])
    assert (answer["due_at"] is not None, answer["priority"], answer["team"]["slug"]) == (
        True,
        ticket.priority,
        "service-desk",
    )
    assert ticket.due_at.isoformat().replace("+00:00", "Z") == answer["due_at"].replace("+00:00", "Z")
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1
    assert ClockState.objects.filter(ticket=ticket).exists()
    assert Outbox.objects.filter(ticket=ticket).count() == 1


def test_idempotent_create_matches_baseline(token_client):
    create(token_client)
    queries, _ = create(token_client, **{"Idempotency-Key": "create-1"})
    assert queries == BASELINES["api:create_ticket:idempotency-key"], f"takes {queries} queries"
