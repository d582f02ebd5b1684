"""Submitting, approving, rejecting and fulfilling requests from the catalogue."""

import pytest
from django.core.exceptions import PermissionDenied

from servicepact.catalog import actions
from servicepact.catalog.models import Approval, ItemField, RequestTask
from servicepact.catalog.tests.factories import build_catalog
from servicepact.desk.actions.lifecycle import change_status, resolve_ticket
from servicepact.desk.models import Kind, Status, Ticket
from servicepact.notify.models import Notice
from servicepact.permissions.catalog import can_ask
from servicepact.refusals import ActionRefused

SAP_ANSWERS = {"reason": "Month-end close", "role": "Finance posting", "start": "2026-12-07", "temporary": "no"}


@pytest.fixture
def catalog(world):
    return build_catalog(world)


def test_a_request_without_approval_goes_to_the_items_team_at_the_items_priority(world, catalog):
    request = actions.submit_request(catalog.vpn, actor=world.people["requester"], answers={"device": "Laptop"})
    ticket = request.ticket
    assert ticket.kind == Kind.REQUEST and ticket.number.startswith("REQ")
    assert ticket.priority == "P4" and not ticket.priority_overridden
    assert (ticket.impact, ticket.urgency) == ("low", "low")
    assert ticket.team == world.teams["app-cn"] and ticket.status == Status.ASSIGNED
    assert "Device: Laptop" in ticket.description
    assert request.approval == Approval.NOT_NEEDED
    assert request.answers == [{"key": "device", "label": "Device", "kind": "text", "value": "Laptop"}]
    assert [task.title for task in request.tasks.all()] == ["Create the VPN profile", "Send the token"]


def test_missing_and_invalid_answers_are_refused_naming_each_field_and_nothing_is_opened(world, catalog):
    given = {"role": "Superuser", "start": "07.12.2026", "colleague": "nobody@example.test", "extra": "x"}
    with pytest.raises(ActionRefused) as refused:
        actions.submit_request(catalog.sap, actor=world.people["requester"], answers=given)
    errors = refused.value.errors
    assert errors["reason"] == ["Business reason is required."]
    assert "SAP role" in errors["role"][0] and "Superuser" in errors["role"][0]
    assert "Needed from" in errors["start"][0]
    assert "Same access as" in errors["colleague"][0]
    assert "extra" in errors["extra"][0]
    assert not Ticket.objects.exists()


def test_an_item_needing_approval_waits_for_the_managers_decision_who_follows_and_is_told(world, catalog):
    manager = world.people["customer-manager"]
    request = actions.submit_request(catalog.sap, actor=world.people["requester"], answers=SAP_ANSWERS)
    ticket = Ticket.objects.get(pk=request.ticket_id)
    assert request.approval == Approval.PENDING and request.approver == manager
    assert ticket.status == Status.PENDING_CUSTOMER and ticket.team.is_service_desk
    assert ticket.watchers.filter(pk=manager.pk).exists()
    assert Notice.objects.filter(recipient=manager, ticket=ticket, text__contains="approval").exists()
    with pytest.raises(ActionRefused):  # tasks wait for the approval
        actions.complete_task(request.tasks.first(), actor=world.people["resolver"])
    with pytest.raises(PermissionDenied):
        actions.decide(request, actor=world.people["agent"], approve=True)
    actions.decide(request, actor=manager, approve=True, reason="Needed for the close")
    ticket.refresh_from_db()
    assert request.approval == Approval.APPROVED and request.decision_reason == "Needed for the close"
    assert ticket.status == Status.ASSIGNED and ticket.team == world.teams["app-cn"]
    with pytest.raises(PermissionDenied):  # decided: no second decision
        actions.decide(request, actor=manager, approve=False, reason="Changed my mind")


def test_a_rejection_needs_a_reason_and_closes_the_request_with_it(world, catalog):
    manager = world.people["customer-manager"]
    request = actions.submit_request(catalog.sap, actor=world.people["requester"], answers=SAP_ANSWERS)
    with pytest.raises(ActionRefused) as refused:
        actions.decide(request, actor=manager, approve=False, reason=" ")
    assert "reason" in refused.value.errors
    actions.decide(request, actor=manager, approve=False, reason="Use the display role")
    ticket = request.ticket
    ticket.refresh_from_db()
    assert request.approval == Approval.REJECTED
    assert ticket.status == Status.CLOSED and ticket.responded_at is None
    reply = ticket.events.filter(type="replied").get()
    assert reply.data["body"].endswith("Use the display role") and reply.data["from_customer"]


def test_without_a_manager_in_the_directory_an_approval_item_is_refused_saying_so(world, catalog):
    requester = world.people["requester"]
    requester.manager = None
    requester.save()
    with pytest.raises(ActionRefused) as refused:
        actions.submit_request(catalog.sap, actor=requester, answers=SAP_ANSWERS)
    assert "manager" in refused.value.message
    assert not Ticket.objects.exists()


def test_tasks_in_order_are_ticked_one_after_the_other_then_the_request_is_resolved(world, catalog):
    request = actions.submit_request(catalog.sap, actor=world.people["requester"], answers=SAP_ANSWERS)
    actions.decide(request, actor=world.people["customer-manager"], approve=True)
    first, second = request.tasks.order_by("position")
    resolver = world.people["resolver"]
    with pytest.raises(ActionRefused) as refused:
        actions.complete_task(second, actor=resolver)
    assert "Create the SAP user" in refused.value.message
    with pytest.raises(ActionRefused):
        actions.resolve_request(request, actor=resolver, resolution="Done")
    # Nor does the desk's own resolve, or a change of status, pass by the open tasks.
    with pytest.raises(ActionRefused) as refused:
        resolve_ticket(request.ticket, actor=resolver, resolution="Done")
    assert "Create the SAP user" in refused.value.message
    with pytest.raises(ActionRefused):
        change_status(request.ticket, actor=resolver, status=Status.RESOLVED, reason="Done")
    with pytest.raises(PermissionDenied):
        actions.complete_task(first, actor=world.people["requester"])
    actions.complete_task(first, actor=resolver)
    actions.complete_task(second, actor=resolver)
    assert not RequestTask.objects.filter(done_at__isnull=True).exists()
    actions.resolve_request(request, actor=resolver, resolution="The role is yours.")
    request.ticket.refresh_from_db()
    assert request.ticket.status == Status.RESOLVED


def test_parallel_tasks_are_ticked_in_any_order(world, catalog):
    request = actions.submit_request(catalog.vpn, actor=world.people["requester"], answers={"device": "Phone"})
    first, second = request.tasks.order_by("position")
    actions.complete_task(second, actor=world.people["agent"])
    actions.complete_task(first, actor=world.people["agent"])
    with pytest.raises(ActionRefused):
        actions.complete_task(first, actor=world.people["agent"])


def test_only_the_contracts_customer_asks_and_an_item_out_of_offer_is_not_asked_for(world, catalog):
    assert can_ask(world.people["requester"], catalog.vpn)
    assert not can_ask(world.people["other-requester"], catalog.vpn)
    assert not can_ask(world.people["agent"], catalog.vpn)
    catalog.vpn.active = False
    assert not can_ask(world.people["requester"], catalog.vpn)


def test_items_are_seen_by_the_contracts_customer_and_provider_only(world, catalog):
    from servicepact.catalog.models import CatalogItem

    for person, count in [
        ("requester", 2),
        ("agent", 2),
        ("other-requester", 0),
        ("vendor-engineer", 0),
        ("no-role", 0),
    ]:
        assert CatalogItem.objects.visible_to(world.people[person]).count() == count, person
    assert ItemField.objects.visible_to(world.people["other-manager"]).count() == 0


def test_an_items_terms_are_checked_against_its_contract(world, catalog):
    item = catalog.vpn
    item.priority, item.category, item.team = "P9", "nope", world.teams["app-cn"]
    problems = actions.item_problems(item)
    assert "P9" in problems["priority"][0] and "nope" in problems["category"][0]
