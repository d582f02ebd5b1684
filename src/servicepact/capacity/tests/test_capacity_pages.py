"""The capacity page and API from the live tickets of a contract, with a draft's what-if beside."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse

from servicepact.contracts.actions import register_version
from servicepact.desk.actions import create_ticket, resolve_ticket, route_ticket
from servicepact.rosters.models import RosterEntry, ShiftPattern
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


def test_agents_rostered_come_from_the_shift_rosters(world, client) -> None:
    """An afternoon shift in Shanghai (13:00-22:00, Monday to Friday, China's holidays) with two people
    rostered in every week of March: 2 at each of its hours on a working day; Monday 10:00 has nobody
    though it needs 5, so it is marked short."""
    monday_tickets(world)
    team = world.teams["app-cn"]
    pattern = ShiftPattern.objects.create(
        team=team, name="Afternoon", weekdays=[1, 2, 3, 4, 5], starts_at=time(13), ends_at=time(22), holidays="CN"
    )
    for week in (
        date(2026, 2, 23),
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
        date(2026, 3, 23),
        date(2026, 3, 30),
    ):
        for person in (world.people["resolver"], world.people["team-lead"]):
            RosterEntry.objects.create(pattern=pattern, week=week, person=person)
    client.force_login(world.people["team-lead"])
    response = page(client)
    heat = response.context["teams"][0][0]
    monday = {hour: cells[0].row for hour, cells in heat.hours}
    assert monday[13]["agents_rostered"] == 2 and monday[21]["agents_rostered"] == 2
    assert monday[22]["agents_rostered"] == 0 and monday[12]["agents_rostered"] == 0
    assert heat.hours[10][1][0].short and "short" in response.content.decode()
    assert heat.rostered_hours == 2 * 9 * 5  # no holiday in March 2026 in China
    body = client.get("/api/contracts/globex-ito/capacity", {"first": "2026-03", "last": "2026-03"}).json()
    assert next(r for r in body["rows"] if (r["weekday"], r["hour"]) == (3, 15))["agents_rostered"] == 2


def test_a_team_without_shift_patterns_has_no_rostered_agents(world, client) -> None:
    monday_tickets(world)
    client.force_login(world.people["analyst"])
    heat = page(client).context["teams"][0][0]
    assert heat.rostered_hours is None and heat.hours[10][1][0].row["agents_rostered"] is None
