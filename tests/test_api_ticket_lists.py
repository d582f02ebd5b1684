"""The ticket list: filters, cursor pages in both orders, and the errors of bad parameters."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from servicepact.desk import actions
from servicepact.desk.api.pagination import TicketOrder, decode_cursor, encode_cursor
from servicepact.refusals import ActionRefused
from tests.api_client import client_as, problem_fields


@pytest.fixture
def tickets(world):
    """Seven tickets: P2 and P4 on SAP, one on SSO in the security team's queue, one resolved."""
    made = []
    for index in range(7):
        impact = "high" if index % 2 else "low"
        service = world.services["sso" if index == 6 else "sap-erp"]
        made.append(
            actions.create_ticket(
                actor=world.people["requester"],
                contract=world.contract,
                service=service,
                title=f"Posting fails {'invoice' if index < 3 else 'payroll'} {index}",
                impact=impact,
                urgency="medium",
            )
        )
    actions.route_ticket(made[6], actor=world.people["agent"])
    actions.assign_ticket(
        made[1], actor=world.people["agent"], team=world.teams["app-cn"], assignee=world.people["resolver"]
    )
    actions.resolve_ticket(made[0], actor=world.people["agent"], resolution="Done.")
    return made


def numbers(client, query: str) -> list[str]:
    response = client.get(f"/api/tickets?{query}")
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["items"]]


def walk(client, query: str) -> list[str]:
    """Every number over all pages, following `next`."""
    seen, url = [], f"/api/tickets?{query}"
    while url:
        body = client.get(url).json()
        seen += [row["number"] for row in body["items"]]
        url = body["next"]
    return seen


@pytest.mark.parametrize("order", ["due", "-created"])
def test_pages_cover_every_ticket_once_in_order(world, tickets, order):
    client = client_as(world.people["agent"])
    everything = numbers(client, f"order={order}&limit=200")
    assert len(everything) == 7
    for limit in (1, 2, 3, 7):
        assert walk(client, f"order={order}&limit={limit}") == everything


def test_newest_first_and_due_first_orders(world, tickets):
    client = client_as(world.people["agent"])
    assert numbers(client, "order=-created")[0] == tickets[-1].number
    due = client.get("/api/tickets?order=due").json()["items"]
    instants = [row["due_at"] for row in due if row["due_at"]]
    assert instants == sorted(instants)
    assert all(row["due_at"] is None for row in due[len(instants) :])


def test_filters(world, tickets):
    client = client_as(world.people["agent"])
    assert numbers(client, "status=resolved") == [tickets[0].number]
    assert set(numbers(client, "open=true")) == {t.number for t in tickets[1:]}
    assert set(numbers(client, "priority=P2")) == {t.number for t in tickets if t.priority == "P2"}
    assert numbers(client, "team=globex-security") == [tickets[6].number]
    assert numbers(client, "service=sso") == [tickets[6].number]
    assert numbers(client, "assignee=resolver@example.test") == [tickets[1].number]
    assert tickets[1].number not in numbers(client, "assignee=none")
    assert set(numbers(client, "q=invoice")) == {t.number for t in tickets[:3]}
    assert numbers(client, f"q={tickets[4].number.lower()}") == [tickets[4].number]
    assert numbers(client, "kind=request") == []
    assert numbers(client, "breached=true") == []
    later = (timezone.now() + timedelta(days=30)).isoformat().replace("+00:00", "Z")
    assert set(numbers(client, f"due_before={later}")) <= {t.number for t in tickets}


def test_lists_hold_only_visible_tickets(world, tickets):
    assert numbers(client_as(world.people["other-manager"]), "limit=200") == []
    assert numbers(client_as(world.people["vendor-engineer"]), "limit=200") == []
    assert numbers(client_as(world.people["security-resolver"]), "limit=200") == [tickets[6].number]


def test_vendor_rows_have_no_requester_contact(world, tickets):
    actions.assign_ticket(tickets[2], actor=world.people["agent"], team=world.teams["hardware"], reason="Disk")
    rows = client_as(world.people["vendor-engineer"]).get("/api/tickets").json()["items"]
    assert [row["number"] for row in rows] == [tickets[2].number]
    assert rows[0]["view"] == "vendor" and "email" not in rows[0]["requester"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=bogus", "status"),
        ("priority=" + "P" * 30, "priority"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("order=sideways", "order"),
        ("team=no-such-team", "team"),
        ("team=hw-onsite&assignee=ghost@example.test", "assignee"),
        ("service=payroll", "service"),
        ("contract=initech-ito", "contract"),
        ("due_before=yesterday", "due_before"),
        ("due_before=2026-03-01T09:00:00", "due_before"),
        ("breached=maybe", "breached"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_parameters_name_the_field(world, query, field):
    response = client_as(world.people["customer-manager"]).get(f"/api/tickets?{query}")
    assert response.status_code == 422, response.content
    assert any(name.split(".")[0] == field for name in problem_fields(response)), problem_fields(response)


def test_a_cursor_of_the_other_order_is_refused(world, tickets):
    client = client_as(world.people["agent"])
    cursor = client.get("/api/tickets?order=due&limit=2").json()["next"].split("cursor=")[1]
    response = client.get(f"/api/tickets?order=-created&cursor={cursor}")
    assert response.status_code == 422 and problem_fields(response) == {"cursor"}


@settings(max_examples=60, deadline=None)
@given(
    order=st.sampled_from(list(TicketOrder)),
    instant=st.none() | st.datetimes(timezones=st.just(UTC)),
    pk=st.integers(min_value=1, max_value=2**53),
)
def test_cursor_round_trip(order, instant, pk):
    if order is TicketOrder.NEWEST and instant is None:
        with pytest.raises(ActionRefused):
            decode_cursor(encode_cursor(order, instant, pk), order)
        return
    assert decode_cursor(encode_cursor(order, instant, pk), order) == (instant, pk)


@settings(max_examples=60, deadline=None)
@given(garbage=st.text(max_size=80))
def test_any_garbage_cursor_is_a_refusal_not_a_crash(garbage):
    try:
        decode_cursor(garbage, TicketOrder.DUE)
    except ActionRefused as refusal:
        assert set(refusal.errors) == {"cursor"}
