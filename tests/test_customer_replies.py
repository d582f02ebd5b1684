"""A public reply by any of the customer's people is the customer's message: it never stops the provider's
response clock. The ticket page, the API, ``servicepact events export`` and ``servicepact sla replay`` agree."""

import io
from datetime import timedelta

import orjson
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from servicepact.desk import actions
from servicepact.sla.commands import replay as replay_command
from servicepact.sla.timefmt import format_instant
from tests.api_client import client_as, post_json


@pytest.fixture
def ticket(world):
    """A P2 incident routed to application support China; nobody of the provider has answered yet."""
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Invoices do not post",
        impact="high",
        urgency="medium",
        at=timezone.now() - timedelta(minutes=5),
    )
    actions.route_ticket(ticket, actor=world.people["agent"])
    return ticket


def exported_types(ticket) -> list[str]:
    out = io.StringIO()
    call_command("events", "export", "--contract", ticket.contract.slug, stdout=out)
    return [
        orjson.loads(line)["type"]
        for line in out.getvalue().splitlines()
        if orjson.loads(line)["ticket"] == ticket.number
    ]


def replayed_response(world, ticket, tmp_path, capsys) -> str:
    out = io.StringIO()
    call_command("events", "export", "--contract", ticket.contract.slug, stdout=out)
    events, contract = tmp_path / "events.jsonl", tmp_path / "contract.yaml"
    events.write_text(out.getvalue())
    contract.write_text(ticket.contract_version.source)
    capsys.readouterr()
    code = replay_command.main(
        [
            "replay",
            "--contract",
            str(contract),
            "--events",
            str(events),
            "--at",
            format_instant(int(timezone.now().timestamp())),
        ]
    )
    lines = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    return next(line["state"] for line in lines if line["ticket"] == ticket.number and line["clock"] == "response")


def api_response_state(world, ticket) -> str:
    clocks = client_as(world.people["agent"]).get(f"/api/tickets/{ticket.number}/clocks").json()
    return next(clock["state"] for clock in clocks["explained"] if clock["clock"] == "response")


def page_response_state(world, ticket) -> str:
    page = client_as(world.people["agent"]).get(reverse("desk:ticket", args=[ticket.number]))
    return next(card.state for card in page.context["clock_panel"].clocks if card.clock == "response")


@pytest.mark.parametrize("person", ["customer-manager", "requester"])
def test_a_customer_managers_or_requesters_reply_leaves_the_response_clock_running(
    world, ticket, person, tmp_path, capsys
):
    response = post_json(client_as(world.people[person]), f"/api/tickets/{ticket.number}/reply", {"body": "Any news?"})
    assert response.status_code == 201 and response.json()["data"]["from_customer"] is True
    ticket.refresh_from_db()
    assert ticket.responded_at is None
    assert "responded" not in exported_types(ticket)
    assert api_response_state(world, ticket) == "running"
    assert page_response_state(world, ticket) == "running"
    assert replayed_response(world, ticket, tmp_path, capsys) == "running"


def test_the_customers_own_resolver_team_replying_is_still_the_customer(world, ticket, tmp_path, capsys):
    """Globex's security team holds the ticket and works it; its reply is not the provider's response."""
    actions.assign_ticket(ticket, actor=world.people["agent"], team=world.teams["security"], reason="SSO certificate")
    resolver = world.people["security-resolver"]
    response = post_json(client_as(resolver), f"/api/tickets/{ticket.number}/reply", {"body": "We renew the cert."})
    assert response.status_code == 201 and response.json()["data"]["from_customer"] is True
    ticket.refresh_from_db()
    assert ticket.responded_at is None and "responded" not in exported_types(ticket)
    assert api_response_state(world, ticket) == "running" == page_response_state(world, ticket)
    assert replayed_response(world, ticket, tmp_path, capsys) == "running"


def test_the_providers_reply_stops_the_response_clock(world, ticket, tmp_path, capsys):
    post_json(client_as(world.people["customer-manager"]), f"/api/tickets/{ticket.number}/reply", {"body": "?"})
    response = post_json(client_as(world.people["resolver"]), f"/api/tickets/{ticket.number}/reply", {"body": "On it."})
    assert response.status_code == 201 and response.json()["data"]["from_customer"] is False
    ticket.refresh_from_db()
    assert ticket.responded_at is not None
    assert exported_types(ticket).count("responded") == 1
    assert api_response_state(world, ticket) == "met" == page_response_state(world, ticket)
    assert replayed_response(world, ticket, tmp_path, capsys) == "met"


def test_older_events_marked_from_requester_keep_their_meaning():
    from servicepact.desk.eventlog import kernel_records

    at = timezone.now()
    rows = [
        ("created", at, {"priority": "P2", "service": "sap-erp", "team": "service-desk"}),
        ("replied", at, {"body": "?", "from_requester": True}),
        ("replied", at, {"body": "On it.", "from_requester": False}),
    ]
    assert [record[1] for record in kernel_records(rows)] == ["created", "responded"]
