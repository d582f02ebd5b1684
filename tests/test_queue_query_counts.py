"""Query-count baselines of the queue pages (queue_query_counts.json beside this file).

Every queue an agent or a resolver works from, and the text search, with few tickets and with many: the
count must not grow with the tickets (no N+1) and must equal its baseline, so that a change in how a
page is read is a visible, reviewed change of the baseline file. The API's lists have theirs in
src/servicepact/desk/tests/query_counts.json; the API list through a token is here too.
"""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicepact.accounts.tokens import create_token
from servicepact.desk import actions

BASELINES = json.loads((Path(__file__).parent / "queue_query_counts.json").read_text())

# (baseline name, person, queue key, query string)
PAGES = [
    ("queue:triage", "agent", "triage", ""),
    ("queue:mine", "resolver", "mine", ""),
    ("queue:provider-team", "resolver", "team-app-support-cn", ""),
    ("queue:customer-team", "security-resolver", "team-globex-security", ""),
    ("queue:all", "agent", "all", ""),
    ("queue:search", "agent", "all", "?q=posting"),
]


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def tickets(world, count: int) -> None:
    """``count`` tickets on every queue: new ones, ones routed to application support and assigned to its
    resolver, and single sign-on ones that the routing sends to the customer's security team."""
    for index in range(count):
        service = "sso" if index % 3 == 2 else "sap-erp"
        ticket = actions.create_ticket(
            actor=world.people["requester"],
            contract=world.contract,
            service=world.services[service],
            title=f"Posting fails #{index}",
            impact="medium",
            urgency="medium",
        )
        if index % 3 == 1:
            actions.assign_ticket(
                ticket, actor=world.people["agent"], team=world.teams["app-cn"], assignee=world.people["resolver"]
            )
        elif index % 3 == 2:
            actions.route_ticket(ticket, actor=world.people["agent"])


def count(client: Client, url: str) -> tuple[int, str]:
    """Queries of a cold page: the side navigation's counts and the priority choices are read, not cached."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response.content.decode()


def check_baseline(name: str, queries: int) -> None:
    """A page's baseline, or its baseline on this database where the two differ (``name:sqlite``)."""
    name = next((key for key in (f"{name}:{connection.vendor}", name) if key in BASELINES), name)
    assert name in BASELINES, f"no baseline for {name} in queue_query_counts.json (it takes {queries} queries)"
    assert queries == BASELINES[name], f"{name} takes {queries} queries; its baseline is {BASELINES[name]}"


@pytest.mark.parametrize(("name", "person", "key", "query"), PAGES, ids=[page[0] for page in PAGES])
def test_queue_page_is_constant_in_tickets_and_matches_baseline(world, name, person, key, query):
    client = Client()
    client.force_login(world.people[person])
    url = reverse("desk:queue", args=[key]) + query
    tickets(world, 3)
    few, _ = count(client, url)
    tickets(world, 27)
    many, page = count(client, url)
    assert "Posting fails" in page, name
    assert many == few, f"{name} takes {few} queries with 3 tickets and {many} with 30"
    check_baseline(name, many)


def test_api_list_through_a_token_matches_baseline(world):
    _, secret = create_token(actor=world.people["agent"], name="script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    tickets(world, 3)
    count(client, "/api/tickets?limit=200")  # the first request records the token's use
    few, _ = count(client, "/api/tickets?limit=200")
    tickets(world, 27)
    many, body = count(client, "/api/tickets?limit=200")
    assert len(json.loads(body)["items"]) == 30
    assert many == few
    check_baseline("api:list_tickets:token", many)
