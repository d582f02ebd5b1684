"""How the API authenticates: tokens need no CSRF token, the browser session does; schema and docs."""

import json

from django.test import Client

from servicepact.accounts import tokens
from servicepact.api import api
from tests.api_client import client_as


def test_session_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["resolver"])
    response = client.post("/api/tokens", data=json.dumps({"name": "x"}), content_type="application/json")
    assert response.status_code == 403
    assert not world.people["resolver"].api_tokens.exists()


def test_bearer_token_post_needs_no_csrf_token(world):
    _, secret = tokens.create_token(actor=world.people["resolver"], name="ci")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/tokens",
        data=json.dumps({"name": "second"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.content


def test_a_wrong_bearer_token_is_401(world):
    response = Client().get("/api/tickets", HTTP_AUTHORIZATION="Bearer sp_not-a-token")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_tokens_of_an_inactive_person_stop_working(world):
    person = world.people["resolver"]
    _, secret = tokens.create_token(actor=person, name="ci")
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert Client().get("/api/whoami", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_openapi_document_describes_every_operation(world):
    response = client_as(world.people["agent"]).get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    operations = [detail for methods in document["paths"].values() for detail in methods.values()]
    assert len(operations) == len({detail["operationId"] for detail in operations}) > 20
    assert all(detail.get("summary") for detail in operations)
    assert "TicketCreateIn" in document["components"]["schemas"]
    assert api.get_openapi_schema(path_prefix="/api/")["info"]["title"] == "servicepact"
