"""Creating tickets through the API keeps the person's standing, the contract and service, the versions in
force, the desk team and whether any webhook listens per process (``servicepact.runtime.generation``). A
change between two creates is seen by the second, whichever way it is written: by the actions, by
``QuerySet.update``, or by raw SQL as another process or a database client would.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client

from servicepact.accounts.models import Membership, Team
from servicepact.accounts.tokens import create_token
from servicepact.contracts import actions as contract_actions
from servicepact.desk.models import Ticket
from servicepact.runtime.generation import (
    WATCHED_TABLES,
    current_generation,
    expected_triggers,
    installed_triggers,
)
from servicepact.testing.factories import EXAMPLE_CONTRACT, ServiceFactory
from servicepact.webhooks.actions import create_endpoint
from servicepact.webhooks.models import Delivery

BODY = {"contract": "globex-ito", "service": "sap-erp", "title": "Posting fails", "impact": "medium", "urgency": "high"}


@pytest.fixture
def requester_client(world) -> Client:
    _, secret = create_token(actor=world.people["requester"], name="script")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def create(client: Client, **changes):
    return client.post("/api/tickets", {**BODY, **changes}, content_type="application/json")


def created(client: Client) -> Ticket:
    response = create(client)
    assert response.status_code == 201, response.content
    return Ticket.objects.get(number=response.json()["number"])


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_watched_table_has_its_triggers_after_migrating(db):
    """SQLite drops a table's triggers when a migration rebuilds it: ``migrate`` puts them back."""
    assert expected_triggers(connection.vendor) <= installed_triggers()


@pytest.mark.parametrize("table", WATCHED_TABLES)
def test_a_write_to_a_watched_table_changes_the_generation(world, table):
    create_endpoint(
        actor=world.people["administrator"], name="itsm", url="https://hooks.example/", events=["ticket.created"]
    )
    draft = EXAMPLE_CONTRACT.read_text().replace("version: 1\n", "version: 2\n", 1)
    contract_actions.register_version(world.contract, actor=world.people["administrator"], source=draft)
    before = current_generation()
    # Rows that may change: not the signed versions, which are written once.
    changeable = "WHERE \"status\" != 'signed'" if table == "contracts_contractversion" else ""
    raw(f'UPDATE "{table}" SET "id" = "id" {changeable}', [])
    assert current_generation() not in (before, None)


def test_a_revoked_membership_is_seen_by_the_next_create(world, requester_client):
    created(requester_client)
    Membership.objects.filter(user=world.people["requester"]).delete()
    assert create(requester_client).status_code in (403, 404, 422)


def test_a_membership_revoked_by_raw_sql_is_seen_by_the_next_create(world, requester_client):
    created(requester_client)
    raw('DELETE FROM "accounts_membership" WHERE "user_id" = %s', [world.people["requester"].pk])
    assert create(requester_client).status_code in (403, 404, 422)


def test_a_contract_taken_from_the_customer_is_seen_by_the_next_create(world, requester_client):
    created(requester_client)
    raw('UPDATE "contracts_contract" SET "customer_id" = %s WHERE "slug" = %s', [world.other_customer.pk, "globex-ito"])
    assert create(requester_client).status_code == 422  # no such contract for this person any more


def test_a_new_webhook_endpoint_hears_of_the_next_create(world, requester_client):
    first = created(requester_client)
    endpoint = create_endpoint(
        actor=world.people["administrator"],
        name="itsm",
        url="https://hooks.northwind.example/servicepact",
        events=["ticket.created"],
    )
    second = created(requester_client)
    assert list(Delivery.objects.filter(endpoint=endpoint).values_list("key", flat=True)) == [f"ticket:{second.pk}:1"]
    assert not Delivery.objects.filter(key=f"ticket:{first.pk}:1").exists()


def test_an_endpoint_switched_on_by_update_hears_of_the_next_create(world, requester_client):
    endpoint = create_endpoint(
        actor=world.people["administrator"],
        name="itsm",
        url="https://hooks.northwind.example/servicepact",
        events=["ticket.created"],
    )
    type(endpoint).objects.filter(pk=endpoint.pk).update(active=False)
    created(requester_client)
    type(endpoint).objects.filter(pk=endpoint.pk).update(active=True)
    second = created(requester_client)
    assert list(Delivery.objects.filter(endpoint=endpoint).values_list("key", flat=True)) == [f"ticket:{second.pk}:1"]


def test_a_newly_signed_version_pins_the_next_create(world, requester_client):
    ServiceFactory(contract=world.contract, key="crm")
    refused = create(requester_client, service="crm")  # read under version 1, which has no such service
    assert refused.status_code == 422 and "version 1" in refused.json()["detail"], refused.content
    text = EXAMPLE_CONTRACT.read_text().replace("version: 1\n", "version: 2\n", 1)
    text = text.replace("from: 2026-01-01", "from: 2026-07-01", 1)
    text = text.replace("services:", "services:\n  crm: {name: CRM, tier: 3, calendar: cn-business}", 1)
    version = contract_actions.register_version(world.contract, actor=world.people["administrator"], source=text)
    assert create(requester_client, service="crm").status_code == 422  # a draft is not in force
    contract_actions.sign_version(version, actor=world.people["customer-manager"], party="customer")
    contract_actions.sign_version(version, actor=world.people["administrator"], party="provider")
    assert version.holds(datetime.now(UTC))
    response = create(requester_client, service="crm")
    assert response.status_code == 201, response.content
    assert Ticket.objects.get(number=response.json()["number"]).contract_version == version


def test_a_new_service_desk_receives_the_next_create(world, requester_client):
    assert created(requester_client).team == world.teams["desk"]
    Team.objects.filter(pk=world.teams["desk"].pk).update(is_service_desk=False)
    Team.objects.filter(pk=world.teams["app-cn"].pk).update(is_service_desk=True)
    assert created(requester_client).team == world.teams["app-cn"]
