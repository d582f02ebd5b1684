"""Idempotency-Key on the API's creates: a retry after a lost answer creates nothing twice."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.client import encode_multipart
from django.utils import timezone

from servicepact.api import api
from servicepact.desk import actions
from servicepact.desk.models import Attachment, Ticket, TicketEvent
from servicepact.idempotency.keys import KEY_LIFETIME, is_idempotent
from servicepact.idempotency.models import IdempotencyKey
from tests.api_client import client_as, post_json, problem_fields

NEW_TICKET = {
    "contract": "globex-ito",
    "service": "sap-erp",
    "title": "Cannot post invoices",
    "impact": "high",
    "urgency": "medium",
    "description": "Since 9:00.",
}
# Creates that take no Idempotency-Key, and why.
NOT_IDEMPOTENT = {
    "create_token": "its answer carries the token's secret, which is kept nowhere, not even for a replay: "
    "a client that lost the answer creates another token and revokes the one it never saw",
}


def create(client, key: str | None, body: dict = NEW_TICKET, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return post_json(client, "/api/tickets", body, **headers, **extra)


def test_a_retry_with_the_same_key_gets_the_first_answer_and_creates_nothing(world):
    client = client_as(world.people["requester"])
    first = create(client, "4c1c3b3e-9d7a-4a57-8a3e-0c1f5e2b7d10")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    retry = create(client, "4c1c3b3e-9d7a-4a57-8a3e-0c1f5e2b7d10")
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert retry["Content-Type"] == first["Content-Type"]
    assert Ticket.objects.count() == 1
    assert TicketEvent.objects.filter(type="created").count() == 1


def test_without_a_key_every_request_creates(world):
    client = client_as(world.people["requester"])
    assert create(client, None).status_code == create(client, None).status_code == 201
    assert Ticket.objects.count() == 2


def test_the_same_key_with_another_body_is_refused_as_problem_json(world):
    client = client_as(world.people["requester"])
    assert create(client, "k-1").status_code == 201
    other = create(client, "k-1", {**NEW_TICKET, "title": "Another problem"})
    assert other.status_code == 422
    assert problem_fields(other) == {"Idempotency-Key"}
    assert "another request" in other.json()["detail"]
    assert Ticket.objects.count() == 1


def test_the_same_key_on_another_path_is_refused(world):
    client = client_as(world.people["requester"])
    number = create(client, "k-2").json()["number"]
    reply = post_json(client, f"/api/tickets/{number}/reply", {"body": "Any news?"}, HTTP_IDEMPOTENCY_KEY="k-2")
    assert reply.status_code == 422
    assert not TicketEvent.objects.filter(type="replied").exists()


def test_keys_are_per_person(world):
    first = create(client_as(world.people["requester"]), "shared-key")
    second = create(client_as(world.people["customer-manager"]), "shared-key")
    assert first.status_code == second.status_code == 201
    assert first.json()["number"] != second.json()["number"]
    assert "Idempotent-Replayed" not in second


def test_a_key_expires_after_its_lifetime(world):
    client = client_as(world.people["requester"])
    first = create(client, "old-key").json()["number"]
    IdempotencyKey.objects.update(created_at=timezone.now() - KEY_LIFETIME - timedelta(minutes=1))
    again = create(client, "old-key")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert again.json()["number"] != first
    assert IdempotencyKey.objects.count() == 1  # the expired row made way for the new one


def test_a_refused_create_keeps_no_key_so_the_corrected_request_may_use_it(world):
    client = client_as(world.people["requester"])
    refused = create(client, "k-3", {**NEW_TICKET, "impact": "huge"})
    assert refused.status_code == 422 and problem_fields(refused) == {"impact"}
    assert not IdempotencyKey.objects.exists()
    assert create(client, "k-3").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "schlüssel", "with space"])
def test_a_malformed_key_is_refused(world, key):
    response = create(client_as(world.people["requester"]), key)
    assert response.status_code == 422
    assert problem_fields(response) == {"Idempotency-Key"}
    assert not Ticket.objects.exists()


def test_the_key_is_stored_in_the_same_transaction_as_the_ticket(world, monkeypatch):
    def broken_save(self, *args, **kwargs):
        if kwargs.get("update_fields"):
            raise RuntimeError("the database went away while storing the answer")
        return original_save(self, *args, **kwargs)

    original_save = IdempotencyKey.save
    monkeypatch.setattr(IdempotencyKey, "save", broken_save)
    client = client_as(world.people["requester"])
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        create(client, "k-4")
    assert not Ticket.objects.exists() and not IdempotencyKey.objects.exists()


def test_a_client_with_a_token_retries_a_reply(world):
    requester = world.people["requester"]
    secret = post_json(client_as(requester), "/api/tokens", {"name": "integration"}).json()["secret"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_IDEMPOTENCY_KEY": "reply-1"}
    ticket = actions.create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["sap-erp"],
        title="SAP posting fails",
        impact="high",
        urgency="medium",
    )
    first = post_json(client_as(None), f"/api/tickets/{ticket.number}/reply", {"body": "Any news?"}, **bearer)
    retry = post_json(client_as(None), f"/api/tickets/{ticket.number}/reply", {"body": "Any news?"}, **bearer)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert TicketEvent.objects.filter(ticket=ticket, type="replied").count() == 1


def test_an_upload_retried_with_a_new_multipart_boundary_is_attached_once(world):
    requester = world.people["requester"]
    ticket = actions.create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["sap-erp"],
        title="SAP posting fails",
        impact="high",
        urgency="medium",
    )
    client = client_as(requester)
    answers = []
    for boundary in ("first-boundary", "second-boundary"):
        upload = SimpleUploadedFile("log.txt", b"M7 021 at 08:10", content_type="text/plain")
        body = encode_multipart(boundary, {"upload": upload, "public": "true"})
        answers.append(
            client.post(
                f"/api/tickets/{ticket.number}/attachments",
                data=body,
                content_type=f"multipart/form-data; boundary={boundary}",
                HTTP_IDEMPOTENCY_KEY="upload-1",
            )
        )
    assert [answer.status_code for answer in answers] == [201, 201], answers[0].content
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert Attachment.objects.filter(ticket=ticket).count() == 1
    other = SimpleUploadedFile("log.txt", b"another file", content_type="text/plain")
    refused = client.post(
        f"/api/tickets/{ticket.number}/attachments",
        {"upload": other, "public": "true"},
        HTTP_IDEMPOTENCY_KEY="upload-1",
    )
    assert refused.status_code == 422


def api_posts():
    schema = api.get_openapi_schema(path_prefix="/api/")
    views = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                views[operation.operation_id] = operation.view_func
    for path, methods in schema["paths"].items():
        for method, detail in methods.items():
            if method == "post":
                yield path, detail, views[detail["operationId"]]


def test_every_create_takes_an_idempotency_key_and_documents_it():
    creates = [
        (detail, view)
        for _path, detail, view in api_posts()
        if "201" in {str(status) for status in detail["responses"]}
    ]
    assert len(creates) >= 8
    for detail, view in creates:
        operation = detail["operationId"]
        documented = any(parameter["name"] == "Idempotency-Key" for parameter in detail["parameters"])
        if operation in NOT_IDEMPOTENT:
            assert not is_idempotent(view) and not documented, operation
            continue
        assert is_idempotent(view), f"{operation} creates a record: declare it @idempotent or say why not"
        assert documented, operation


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers: SQLite runs one write transaction at a time anyway"
)
def test_two_concurrent_requests_with_one_key_create_one_ticket(world, monkeypatch):
    create_ticket = actions.create_ticket

    def slow_create(**kwargs):
        ticket = create_ticket(**kwargs)
        time.sleep(0.5)  # the second request arrives while the first has not committed
        return ticket

    monkeypatch.setattr(actions, "create_ticket", slow_create)
    answers = []

    def send():
        try:
            answers.append(create(client_as(world.people["requester"]), "race-1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join(timeout=30)
    assert Ticket.objects.count() == 1
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses in ([201, 201], [201, 409]), [answer.content for answer in answers]
    numbers = {answer.json()["number"] for answer in answers if answer.status_code == 201}
    assert len(numbers) == 1
