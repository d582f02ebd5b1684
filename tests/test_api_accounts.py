"""Organizations, teams, people and personal tokens through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.accounts.models import ApiToken
from servicepact.accounts.models.token import hash_token
from servicepact.desk import actions
from tests.api_client import client_as, post_json, problem_fields


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()}


def test_anonymous_gets_problem_401(world):
    response = client_as(None).get("/api/teams")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_organizations_are_own_and_contract_partners(world):
    assert slugs(client_as(world.people["requester"]).get("/api/organizations")) == {"globex", "northwind", "hw-vendor"}
    # Northwind provides to Initech too: the provider sees both customers.
    assert "initech" in slugs(client_as(world.people["agent"]).get("/api/organizations"))
    assert slugs(client_as(world.people["other-requester"]).get("/api/organizations")) == {"initech", "northwind"}
    assert slugs(client_as(world.people["no-role"]).get("/api/organizations")) == {"globex"}


def test_teams_hide_other_tenants(world):
    seen = slugs(client_as(world.people["other-manager"]).get("/api/teams"))
    assert "globex-security" not in seen and "hw-onsite" not in seen
    assert "service-desk" in seen
    assert client_as(world.people["other-manager"]).get("/api/teams/globex-security").status_code == 404
    assert client_as(world.people["customer-manager"]).get("/api/teams/globex-security").status_code == 200


def test_no_role_is_forbidden_teams(world):
    response = client_as(world.people["no-role"]).get("/api/teams")
    assert response.status_code == 403


def test_people_of_partners_and_vendor_sees_own_only(world):
    response = client_as(world.people["agent"]).get("/api/people")
    emails = {row["email"] for row in response.json()}
    assert "requester@example.test" in emails and "other-requester@example.test" in emails
    response = client_as(world.people["vendor-engineer"]).get("/api/people")
    assert {row["email"] for row in response.json()} == {"vendor-engineer@example.test"}


def test_a_requester_sees_their_colleagues_and_by_name_only_those_who_work_their_tickets(world):
    requester = client_as(world.people["requester"])
    people = {row["full_name"]: row for row in requester.get("/api/people").json()}
    # Their own organization's people, with their addresses; nobody of the provider or the vendor yet.
    assert people["Customer Manager"]["email"] == "customer-manager@example.test"
    assert not {"Agent", "Resolver", "Vendor Engineer", "Other Requester"} & set(people)

    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="SAP posting fails",
        impact="high",
        urgency="medium",
    )
    actions.route_ticket(ticket, actor=world.people["agent"])
    actions.set_assignee(ticket, actor=world.people["team-lead"], assignee=world.people["resolver"])
    actions.reply(ticket, actor=world.people["agent"], body="Looking into it.")
    actions.add_note(ticket, actor=world.people["team-lead"], body="Internal: suspect the period lock.")

    people = {row["full_name"]: row for row in requester.get("/api/people").json()}
    # The assignee and the author of the public reply, by name; the author of an internal note stays unseen.
    assert people["Resolver"]["email"] is None and people["Agent"]["email"] is None
    assert "Team Lead" not in people and "Analyst" not in people
    assert people["Requester"]["email"] == "requester@example.test"
    # The customer's manager still sees the partners' staff with their addresses.
    manager = {row["full_name"]: row for row in client_as(world.people["customer-manager"]).get("/api/people").json()}
    assert manager["Analyst"]["email"] == "analyst@example.test"


def test_token_is_shown_once_stored_hashed_and_authenticates(world):
    response = post_json(client_as(world.people["resolver"]), "/api/tokens", {"name": "laptop"})
    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    stored = ApiToken.objects.get(pk=response.json()["id"])
    assert stored.key_hash == hash_token(secret) and secret not in (stored.hint, stored.key_hash)
    assert secret.startswith(stored.hint)
    listed = client_as(world.people["resolver"]).get("/api/tokens").json()
    assert listed[0]["name"] == "laptop" and "secret" not in listed[0]
    me = client_as(None).get("/api/whoami", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.status_code == 200 and me.json()["email"] == "resolver@example.test"


def test_revoked_token_no_longer_authenticates(world):
    client = client_as(world.people["resolver"])
    created = post_json(client, "/api/tokens", {"name": "ci"}).json()
    assert client.delete(f"/api/tokens/{created['id']}").status_code == 204
    assert client_as(None).get("/api/whoami", HTTP_AUTHORIZATION=f"Bearer {created['secret']}").status_code == 401
    again = client.delete(f"/api/tokens/{created['id']}")
    assert again.status_code == 409 and problem_fields(again) == {"token"}


def test_someone_elses_token_is_404_and_stays(world):
    created = post_json(client_as(world.people["resolver"]), "/api/tokens", {"name": "mine"}).json()
    response = client_as(world.people["agent"]).delete(f"/api/tokens/{created['id']}")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is None


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({}, "name"),
        ({"name": "old", "expires_at": "2020-01-01T00:00:00Z"}, "expires_at"),
        ({"name": "naive", "expires_at": "2099-01-01T00:00:00"}, "expires_at"),
        ({"name": "bad", "expires_at": "tomorrow"}, "expires_at"),
    ],
)
def test_bad_token_input_names_the_field(world, body, field):
    response = post_json(client_as(world.people["resolver"]), "/api/tokens", body)
    assert response.status_code == 422, response.content
    assert field in problem_fields(response)
    assert not ApiToken.objects.exists()


def test_expired_token_is_refused(world):
    client = client_as(world.people["resolver"])
    soon = timezone.now() + timedelta(minutes=1)
    created = post_json(client, "/api/tokens", {"name": "short", "expires_at": soon.isoformat()}).json()
    ApiToken.objects.filter(pk=created["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_as(None).get("/api/whoami", HTTP_AUTHORIZATION=f"Bearer {created['secret']}").status_code == 401
