"""Query-count baselines of the API's list endpoints (query_counts.json beside this file).

Each list is requested with few rows and with many; the count must not grow with the rows (no N+1)
and must equal its baseline, so that a change in how a list is fetched is a visible, reviewed change
of the baseline file.
"""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from servicepact.desk import actions
from servicepact.desk.models import Ticket

BASELINES = json.loads((Path(__file__).parent / "query_counts.json").read_text())


def check_baseline(name: str, queries: int) -> None:
    assert name in BASELINES, f"no baseline for {name} in query_counts.json (it takes {queries} queries)"
    assert queries == BASELINES[name], f"{name} takes {queries} queries; its baseline is {BASELINES[name]}"


def report_tickets(world, count: int) -> None:
    """``count`` tickets, every other one routed to a resolver team and given an assignee."""
    for index in range(count):
        ticket = actions.create_ticket(
            actor=world.people["requester"],
            contract=world.contract,
            service=world.services["sap-erp"],
            title=f"Posting fails #{index}",
            impact="medium",
            urgency="medium",
        )
        if index % 2:
            actions.assign_ticket(
                ticket, actor=world.people["agent"], team=world.teams["app-cn"], assignee=world.people["resolver"]
            )


def count_queries(client: Client, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


@pytest.mark.parametrize("person", ["agent", "requester", "customer-manager"])
def test_ticket_list_is_constant_in_rows_and_matches_baseline(world, person):
    client = Client()
    client.force_login(world.people[person])
    report_tickets(world, 3)
    few, body = count_queries(client, "/api/tickets?limit=200")
    assert len(body["items"]) == 3
    report_tickets(world, 47)
    many, body = count_queries(client, "/api/tickets?limit=200")
    assert len(body["items"]) == 50
    assert many == few, f"the ticket list takes {few} queries for 3 rows and {many} for 50"
    check_baseline(f"api:list_tickets:{person}", many)


def test_filtered_page_with_cursor_matches_baseline(world):
    client = Client()
    client.force_login(world.people["agent"])
    report_tickets(world, 12)
    queries, body = count_queries(client, "/api/tickets?limit=5&team=app-support-cn&order=-created")
    assert len(body["items"]) == 5 and body["next"]
    check_baseline("api:list_tickets:filtered", queries)
    queries, _ = count_queries(client, body["next"])
    check_baseline("api:list_tickets:filtered", queries)


@pytest.mark.parametrize("endpoint", ["teams", "people", "contracts", "organizations"])
def test_directory_lists_match_baselines(world, endpoint):
    client = Client()
    client.force_login(world.people["agent"])
    queries, _ = count_queries(client, f"/api/{endpoint}")
    check_baseline(f"api:list_{endpoint}", queries)


def test_event_log_is_constant_in_events(world):
    client = Client()
    client.force_login(world.people["resolver"])
    report_tickets(world, 1)
    ticket = Ticket.objects.get()
    number = ticket.number
    few, _ = count_queries(client, f"/api/tickets/{number}/events")
    for index in range(10):
        actions.reply(ticket, actor=world.people["resolver"], body=f"Update {index}")
    many, body = count_queries(client, f"/api/tickets/{number}/events")
    assert len(body) == 11 and many == few
    check_baseline("api:list_ticket_events", many)
