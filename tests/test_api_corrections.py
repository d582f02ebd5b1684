"""Correcting a ticket's service or category through the API: POST /api/tickets/{number}/correction."""

import pytest

from servicepact.contracts.models import Category
from servicepact.desk import actions
from servicepact.desk.models import EventType, Ticket, TicketEvent
from tests.api_client import client_as, post_json, problem_fields


@pytest.fixture
def ticket(world) -> Ticket:
    Category.objects.create(contract=world.contract, key="password-reset", name="Password reset")
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Cannot log in to SAP",
        impact="medium",
        urgency="medium",
    )


def url(ticket: Ticket) -> str:
    return f"/api/tickets/{ticket.number}/correction"


def unchanged(ticket: Ticket) -> tuple:
    return (
        Ticket.objects.values_list("service_id", "category", "event_count", "last_hash").get(pk=ticket.pk),
        TicketEvent.objects.filter(ticket=ticket).count(),
    )


def test_the_desk_corrects_the_service_and_category_with_a_reason(world, ticket):
    response = post_json(
        client_as(world.people["agent"]),
        url(ticket),
        {"service": "sso", "category": "password-reset", "reason": "An expired SSO password"},
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["service"]["key"], answer["category"]) == ("sso", "password-reset")
    event = ticket.events.get(type=EventType.CORRECTED)
    assert event.actor == world.people["agent"]
    assert event.data == {
        "service": {"old": "sap-erp", "new": "sso"},
        "category": {"old": "", "new": "password-reset"},
        "reason": "An expired SSO password",
    }
    events = client_as(world.people["requester"]).get(f"/api/tickets/{ticket.number}/events").json()
    assert events[-1]["type"] == "corrected" and events[-1]["data"]["reason"] == "An expired SSO password"


def test_a_category_left_out_is_kept_and_null_clears_it(world, ticket):
    client = client_as(world.people["agent"])
    assert post_json(client, url(ticket), {"category": "password-reset", "reason": "Password"}).status_code == 200
    kept = post_json(client, url(ticket), {"service": "sso", "reason": "SSO"})
    assert kept.status_code == 200 and kept.json()["category"] == "password-reset"
    cleared = post_json(client, url(ticket), {"category": None, "reason": "No category fits"})
    assert cleared.status_code == 200 and cleared.json()["category"] == ""


@pytest.mark.parametrize(
    "body, status, fields",
    [
        ({"service": "sso"}, 422, {"reason"}),
        ({"service": "sso", "reason": "   "}, 422, {"reason"}),
        ({"service": "payroll", "reason": "x"}, 422, {"service"}),
        ({"category": "Not a slug", "reason": "x"}, 422, {"category"}),
        ({"category": "unknown", "reason": "x"}, 422, {"category"}),
        ({"reason": "nothing named"}, 422, {"service"}),
        ({"service": "sap-erp", "category": "", "reason": "the same"}, 409, {"service", "category"}),
        ({"service": "sso", "reason": "x" * 1001}, 422, {"reason"}),
    ],
)
def test_refusals_are_problems_naming_the_field_and_change_nothing(world, ticket, body, status, fields):
    before = unchanged(ticket)
    response = post_json(client_as(world.people["agent"]), url(ticket), body)
    assert response.status_code == status, response.content
    assert problem_fields(response) == fields
    assert unchanged(ticket) == before


@pytest.mark.parametrize(
    "person, status", [("resolver", 403), ("requester", 403), ("customer-manager", 403), ("other-requester", 404)]
)
def test_only_those_who_may_triage_the_ticket_correct_it(world, ticket, person, status):
    before = unchanged(ticket)
    response = post_json(client_as(world.people[person]), url(ticket), {"service": "sso", "reason": "mine"})
    assert response.status_code == status
    assert unchanged(ticket) == before


def test_the_generic_edit_refuses_the_service_and_category(world, ticket):
    before = unchanged(ticket)
    response = client_as(world.people["agent"]).patch(
        f"/api/tickets/{ticket.number}", data='{"category": "x"}', content_type="application/json"
    )
    assert response.status_code == 422 and problem_fields(response) == {"category"}
    assert unchanged(ticket) == before


def test_the_operation_is_documented(world):
    schema = client_as(world.people["agent"]).get("/api/openapi.json").json()
    operation = schema["paths"]["/api/tickets/{number}/correction"]["post"]
    assert operation["operationId"] == "correct_ticket_classification"
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][body]["properties"]) == {"service", "category", "reason"}
