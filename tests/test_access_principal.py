"""Roles count only in the organization of their membership: a requester of the customer who is given an
agent membership in the provider's organization sees and does only what a requester does, through the
API and the pages, and every refusal changes nothing."""

import pytest
from django.urls import reverse

from servicepact.accounts.models import Membership, Role
from servicepact.desk import actions
from servicepact.desk.models import Ticket, TicketEvent
from servicepact.permissions import can_triage, can_work_ticket, principal_of
from servicepact.refusals import ActionRefused
from tests.api_client import client_as, post_json


@pytest.fixture
def two_hatted(world):
    """Globex's requester, given (by mistake or on purpose) an agent membership in Northwind's service desk."""
    person = world.people["requester"]
    Membership.objects.create(user=person, organization=world.provider, team=world.teams["desk"], role=Role.AGENT)
    return person


@pytest.fixture
def tickets(world, two_hatted):
    """One ticket the person reported and one a colleague reported, both routed to application support."""
    own = actions.create_ticket(
        actor=two_hatted,
        contract=world.contract,
        service=world.services["sap-erp"],
        title="My posting fails",
        impact="high",
        urgency="medium",
    )
    colleague = actions.create_ticket(
        actor=world.people["customer-manager"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Month end blocked",
        impact="high",
        urgency="high",
    )
    for ticket in (own, colleague):
        actions.route_ticket(ticket, actor=world.people["agent"])
    return own, colleague


def state() -> tuple:
    return (
        list(Ticket.objects.order_by("pk").values_list("pk", "status", "team_id", "priority", "event_count")),
        TicketEvent.objects.count(),
    )


def test_a_membership_elsewhere_gives_no_role_and_no_team(world, two_hatted):
    who = principal_of(two_hatted)
    assert who.roles == {Role.REQUESTER}
    assert who.team_ids == frozenset() and who.team_slugs == frozenset()
    assert not who.is_staff_member and who.is_customer


def test_other_organizations_memberships_never_count_even_for_teams_of_the_own_organization(world):
    """A membership row naming another organization counts nowhere, whatever team it names."""
    manager = world.people["customer-manager"]
    Membership.objects.create(
        user=manager, organization=world.provider, team=world.teams["security"], role=Role.ADMINISTRATOR
    )
    assert principal_of(manager).roles == {Role.CUSTOMER_MANAGER}
    assert principal_of(manager).team_ids == frozenset()


def test_sees_only_what_a_requester_sees(world, two_hatted, tickets):
    own, colleague = tickets
    client = client_as(two_hatted)
    listed = {row["number"] for row in client.get("/api/tickets").json()["items"]}
    assert listed == {own.number}
    assert client.get(f"/api/tickets/{colleague.number}").status_code == 404
    assert client.get(reverse("desk:ticket", args=[colleague.number])).status_code == 404
    # The workspace is for staff; a requester has the portal.
    assert client.get(reverse("desk:queue", args=["triage"])).status_code == 403
    assert client.get(reverse("desk:home")).url == reverse("desk:portal")


def test_does_only_what_a_requester_does_and_refusals_change_nothing(world, two_hatted, tickets):
    own, colleague = tickets
    assert not can_work_ticket(two_hatted, own) and not can_triage(two_hatted, own)
    client = client_as(two_hatted)
    before = state()
    refused = [
        post_json(client, f"/api/tickets/{own.number}/transition", {"status": "in_progress"}),
        post_json(client, f"/api/tickets/{own.number}/note", {"body": "internal?"}),
        post_json(client, f"/api/tickets/{own.number}/priority", {"impact": "low", "urgency": "low", "reason": "x"}),
        post_json(client, f"/api/tickets/{own.number}/assign", {"team": "app-support-cn", "reason": "mine"}),
        client.post(reverse("desk:note", args=[own.number]), {"note-body": "internal?"}),
        client.post(reverse("desk:status", args=[own.number]), {"status-status": "in_progress"}),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403, 403, 403, 403]
    unseen = post_json(client, f"/api/tickets/{colleague.number}/transition", {"status": "in_progress"})
    assert unseen.status_code == 404
    assert state() == before
    # What a requester may do, they may: reply on their own ticket, as the customer.
    reply = post_json(client, f"/api/tickets/{own.number}/reply", {"body": "Any news?"})
    assert reply.status_code == 201 and reply.json()["data"]["from_customer"] is True
    # The desk cannot assign the ticket to them as an agent either: the membership does not count.
    with pytest.raises(ActionRefused):
        actions.assign_ticket(
            own,
            actor=world.people["agent"],
            team=world.teams["desk"],
            assignee=two_hatted,
            reason="Give it to the desk",
        )
