"""The checkpoints page and its downloads, as the customer's managers and the provider's people see them."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from servicepact.desk import actions
from servicepact.evidence import signing
from servicepact.evidence.actions import take_checkpoint
from servicepact.evidence.models import CheckpointReason
from servicepact.evidence.statement import read_document
from servicepact.slm.tests.prepared import prepared_content
from servicepact.testing.factories import UserFactory

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def checkpointed(world):
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
        at=MONDAY,
    )
    actions.add_note(ticket, actor=world.people["agent"], body="Period lock", at=MONDAY + timedelta(minutes=5))
    actions.create_ticket(
        actor=world.people["other-requester"],
        contract=world.other_contract,
        service=world.other_contract.services.get(key="sap-erp"),
        title="Initech's",
        impact="low",
        urgency="low",
        at=MONDAY,
    )
    return ticket, take_checkpoint(reason=CheckpointReason.SCHEDULE)


def client_of(world, person: str) -> Client:
    client = Client()
    client.force_login(world.people[person])
    return client


def test_the_page_lists_the_checkpoints_with_the_copies_one_may_keep(world, checkpointed):
    page = client_of(world, "customer-manager").get("/checkpoints/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "/checkpoints/1/globex-ito.json" in text and "initech-ito.json" not in text
    assert signing.fingerprint() in text and "/checkpoints/events/globex-ito.jsonl" in text
    other = client_of(world, "other-manager").get("/checkpoints/").content.decode()
    assert "/checkpoints/1/initech-ito.json" in other and "globex-ito" not in other
    assert client_of(world, "requester").get("/checkpoints/").status_code == 403
    assert "/checkpoints/" in client_of(world, "customer-manager").get("/slm/reports/").content.decode()


def test_the_copy_holds_the_contracts_leaves_and_its_proof(world, checkpointed):
    ticket, checkpoint = checkpointed
    response = client_of(world, "customer-manager").get("/checkpoints/1/globex-ito.json")
    assert response["Content-Disposition"] == 'attachment; filename="checkpoint-1-globex-ito.json"'
    document = read_document(response.content)
    assert document.statement_text == checkpoint.statement
    assert [group.name for group in document.groups] == ["contract:globex-ito"]
    assert [leaf["ticket"] for leaf in document.groups[0].leaves] == [ticket.number]
    assert client_of(world, "other-manager").get("/checkpoints/1/globex-ito.json").status_code == 404
    assert client_of(world, "customer-manager").get("/checkpoints/2/globex-ito.json").status_code == 404


def test_the_events_download_redacts_what_one_may_not_read(world, checkpointed):
    ticket, _ = checkpointed
    customer = prepared_content(client_of(world, "customer-manager"), "/checkpoints/events/globex-ito.jsonl")
    lines = [json.loads(line) for line in customer.splitlines()]
    assert [(line["seq"], line.get("redacted", False)) for line in lines] == [(1, False), (2, True)]
    assert set(lines[1]) == {"ticket", "seq", "prev", "hash", "redacted"}, "the note's text stays internal"
    agent = prepared_content(client_of(world, "agent"), "/checkpoints/events/globex-ito.jsonl")
    lines = [json.loads(line) for line in agent.splitlines()]
    assert lines[1]["data"] == {"body": "Period lock"}
    assert client_of(world, "other-manager").get("/checkpoints/events/globex-ito.jsonl").status_code == 404


def test_the_public_key_is_for_anyone(world, checkpointed):
    response = Client().get("/checkpoints/key.pem")
    assert response.status_code == 200 and response.content == signing.public_key_pem()
    assert Client().post("/checkpoints/key.pem").status_code == 405


def test_the_page_speaks_the_persons_language(world, checkpointed):
    manager = world.people["customer-manager"]
    manager.language = "zh-hans"
    manager.save()
    text = client_of(world, "customer-manager").get("/checkpoints/").content.decode()
    assert "事件日志的检查点" in text and "1 张工单" in text


def test_the_platform_operator_sees_every_contracts_copy(world, checkpointed):
    operator = UserFactory(email="operator@example.test", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(operator)
    text = client.get("/checkpoints/").content.decode()
    assert "/checkpoints/1/globex-ito.json" in text and "/checkpoints/1/initech-ito.json" in text
