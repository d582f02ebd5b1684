"""The capacity page and API from the live tickets of a contract, with a draft's what-if beside."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from servicepact.contracts.actions import register_version
from servicepact.desk.actions import create_ticket, resolve_ticket, route_ticket
from servicepact.testing import factories

pytestmark = pytest.mark.django_db
MARCH_MONDAYS = (2, 9, 16, 23, 30)


def monday_tickets(world) -> None:
    """A high-urgency SAP ERP ticket routed to application support China every Monday of March 2026 at
    10:30 in Shanghai (02:30 UTC), resolved an hour later."""
    for day in MARCH_MONDAYS:
        at = datetime(2026, 3, day, 2, 30, tzinfo=UTC)
        ticket = create_ticket(
            actor=world.people["agent"],
            contract=world.contract,
            service=world.services["sap-erp"],
            title="Posting fails",
            impact="high",
            urgency="high",
            requester=world.people["requester"],
            at=at,
        )
        route_ticket(ticket, actor=world.people["agent"], at=at)
        resolve_ticket(ticket, actor=world.people["resolver"], resolution="Fixed", at=at + timedelta(hours=1))


def page(client, **query):
    params = {"first": "2026-03", "last": "2026-03", "service_level": "0.8", "max_occupancy": "0.85"}
    params |= {"shrinkage": "0.3", **query}
    return client.get(reverse("capacity:contract", args=["globex-ito"]), params)


def test_the_page_shows_a_heat_map_per_team_in_its_time_zone(world, client) -> None:
    monday_tickets(world)
    client.force_login(world.people["analyst"])
    response = page(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Application support China" in html and "Asia/Shanghai" in html
    heat = response.context["teams"][0][0]
    assert heat.team == "app-support-cn"
    cell = heat.hours[10][1][0]  # 10:00 on Monday, Shanghai time
    # One P1 an hour, an hour each (P1 resolves in 24x7), answered within 15 minutes: 3 agents, 5 scheduled.
    assert cell.row["arrivals_per_hour"] == 1.0 and cell.row["aht_s"] == 3600
    assert (cell.row["agents_required"], cell.row["agents_scheduled"]) == (3, 5)
    assert heat.peak == 5 and cell.level == 5
    assert 'class="heat-5"' in html


def test_a_draft_with_a_shorter_response_target_needs_more(world, client) -> None:
    monday_tickets(world)
    draft = factories.EXAMPLE_CONTRACT.read_text().replace("version: 1\n", "version: 2\n", 1)
    draft = draft.replace("P1: {within: 15m, calendar: always}", "P1: {within: 1m, calendar: always}")
    register_version(world.contract, actor=world.people["administrator"], source=draft)
    client.force_login(world.people["administrator"])
    response = page(client, draft="2", service_level="0.93")
    assert response.status_code == 200
    heat, drafted = response.context["teams"][0]
    assert heat.hours[10][1][0].row["agents_required"] == 3
    assert drafted.hours[10][1][0].row["agents_required"] == 4
    assert "Draft version 2, within 1m" in response.content.decode()


def test_bad_choices_answer_422_naming_the_field(world, client) -> None:
    client.force_login(world.people["analyst"])
    response = page(client, first="2026-13", last="2026-03")
    assert response.status_code == 422
    assert "2026-13" in response.content.decode()
    response = page(client, shrinkage="1.5")
    assert response.status_code == 422 and response.context["form"].errors["shrinkage"]
    response = page(client, first="2026-05", last="2026-03")
    assert response.context["form"].errors["last"] == ["The last month comes before the first."]


def test_the_api_gives_the_rows(world, client) -> None:
    monday_tickets(world)
    client.force_login(world.people["customer-manager"])
    response = client.get("/api/contracts/globex-ito/capacity", {"first": "2026-03", "last": "2026-03"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 1 and body["draft"] is None
    row = next(r for r in body["rows"] if (r["weekday"], r["hour"]) == (1, 10))
    assert row["team"] == "app-support-cn" and row["agents_scheduled"] == 5
    assert client.get("/api/contracts/globex-ito/capacity", {"draft": 7}).status_code == 422
    assert client.get("/api/contracts/globex-ito/capacity", {"shrinkage": 1}).status_code == 422


def test_requesters_and_other_tenants_do_not_find_it(world, client) -> None:
    for person in ("requester", "other-manager"):
        client.force_login(world.people[person])
        assert page(client).status_code == 404
        assert client.get("/api/contracts/globex-ito/capacity").status_code == 404


def test_the_page_speaks_the_persons_language(world, client) -> None:
    monday_tickets(world)
    analyst = world.people["analyst"]
    analyst.language = "zh-hans"
    analyst.save(update_fields=["language"])
    client.force_login(analyst)
    html = page(client).content.decode()
    assert "按需求计算容量" in html and "生效：第 1 版" in html and "周一" in html
