"""OLA and underpinning-contract clocks are the provider's and the resolver teams' business: the customer's
people see them only when the contract says ``disclose_internal_clocks: true`` (servicepact/permissions/
clocks.py). Checked through the API's clocks, events and restatements, the ticket page and the portal."""

import pytest
from django.urls import reverse

from servicepact.desk import actions
from servicepact.permissions import clock_sight
from servicepact.slm.actions import restate
from tests.access_world import version_with_internal_clocks
from tests.api_client import client_as

APP, SECURITY, HARDWARE = "ola:app-support-cn", "ola:globex-security", "ola:hw-onsite"
INTERNAL = {APP, SECURITY, HARDWARE}


def held_by_three_teams(world):
    """A ticket application support China, Globex's security team and the hardware vendor each held."""
    ticket = actions.create_ticket(actor=world.people["requester"], contract=world.contract,
                                   service=world.services["sap-erp"], title="Badge reader and SAP login fail",
                                   impact="high", urgency="medium")
    actions.route_ticket(ticket, actor=world.people["agent"])
    actions.assign_ticket(ticket, actor=world.people["agent"], team=world.teams["security"], reason="SSO first")
    actions.assign_ticket(ticket, actor=world.people["agent"], team=world.teams["hardware"], reason="Badge reader")
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def ticket(world):
    world.version = version_with_internal_clocks(world)
    ticket = held_by_three_teams(world)
    assert ticket.contract_version == world.version
    return ticket


@pytest.fixture
def disclosed_ticket(world):
    world.version = version_with_internal_clocks(world, disclose=True)
    return held_by_three_teams(world)


def api_clocks(world, person, ticket) -> tuple[set[str], set[str]]:
    answer = client_as(world.people[person]).get(f"/api/tickets/{ticket.number}/clocks")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    return {clock["clock"] for clock in body["explained"]}, {clock["clock"] for clock in body["stored"]}


# Who sees which internal clock when the contract does not disclose them.
SIGHT = {
    "requester": set(),
    "customer-manager": set(),
    "security-resolver": {SECURITY},     # the customer's own team: its own OLA clock, no other
    "vendor-engineer": {HARDWARE},       # the vendor: its underpinning contract's clock
    "agent": INTERNAL,                   # the provider: every one
    "resolver": INTERNAL,
    "analyst": INTERNAL,
}


@pytest.mark.parametrize("person", sorted(SIGHT))
def test_the_api_shows_each_person_the_internal_clocks_they_may_see(world, ticket, person):
    explained, stored = api_clocks(world, person, ticket)
    assert explained & INTERNAL == SIGHT[person] == stored & INTERNAL
    assert {"response", "resolution"} <= explained and {"response", "resolution"} <= stored


@pytest.mark.parametrize("person", ["requester", "customer-manager", "security-resolver", "vendor-engineer"])
def test_a_disclosing_contract_shows_every_internal_clock_to_whoever_sees_the_ticket(world, disclosed_ticket, person):
    explained, stored = api_clocks(world, person, disclosed_ticket)
    assert explained & INTERNAL == INTERNAL == stored & INTERNAL


def test_the_ticket_page_and_the_portal_hide_internal_clocks_from_the_customers_people(world, ticket):
    for person in ("requester", "customer-manager"):
        page = client_as(world.people[person]).get(reverse("desk:ticket", args=[ticket.number]))
        assert page.status_code == 200
        shown = {card.clock for card in page.context["clock_panel"].clocks}
        assert not shown & INTERNAL and "resolution" in shown
        assert "OLA" not in page.content.decode()
    security = client_as(world.people["security-resolver"]).get(reverse("desk:ticket", args=[ticket.number]))
    assert {card.clock for card in security.context["clock_panel"].clocks} & INTERNAL == {SECURITY}
    agent = client_as(world.people["agent"]).get(reverse("desk:ticket", args=[ticket.number]))
    assert {card.clock for card in agent.context["clock_panel"].clocks} & INTERNAL == INTERNAL
    assert "OLA · Application support China" in agent.content.decode()


def test_the_portal_page_shows_internal_clocks_when_the_contract_discloses_them(world, disclosed_ticket):
    page = client_as(world.people["requester"]).get(reverse("desk:ticket", args=[disclosed_ticket.number]))
    assert {card.clock for card in page.context["clock_panel"].clocks} & INTERNAL == INTERNAL
    assert "OLA · Application support China" in page.content.decode()


def test_restatements_hide_internal_clocks_from_the_customers_managers(world, ticket):
    restate(ticket, actor=world.people["analyst"], version=world.contract.versions.get(number=1),
            reason="Compare with the version without OLAs")
    manager = client_as(world.people["customer-manager"]).get(f"/api/tickets/{ticket.number}/restatements").json()
    assert {clock["clock"] for clock in manager[0]["original_clocks"]} & INTERNAL == set()
    analyst = client_as(world.people["analyst"]).get(f"/api/tickets/{ticket.number}/restatements").json()
    assert {clock["clock"] for clock in analyst[0]["original_clocks"]} & INTERNAL == INTERNAL
    page = client_as(world.people["customer-manager"]).get(reverse("desk:ticket", args=[ticket.number]))
    rows = {row.clock for view in page.context["clock_panel"].restatements for row in view.rows}
    assert rows and not rows & INTERNAL


def test_clock_sight_is_the_rule_the_querysets_apply(world, ticket):
    from servicepact.slm.models import ClockState

    for person in SIGHT:
        user = world.people[person]
        sight = clock_sight(user, ticket)
        rows = set(ClockState.objects.visible_to(user).filter(ticket=ticket).values_list("clock", flat=True))
        every = set(ClockState.objects.filter(ticket=ticket).values_list("clock", flat=True))
        assert rows == {clock for clock in every if sight.shows(clock)}, person
