"""The ticket actions: events, hash chain, projection, permissions and refusals."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from servicepact.desk import actions
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import EventType, Status, Ticket, TicketEvent, TicketTeam
from servicepact.refusals import ActionRefused

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """The world's people get passwords; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_ticket(world, **overrides):
    fields = dict(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Invoices do not post",
        impact="high",
        urgency="medium",
        at=MONDAY,
    )
    fields.update(overrides)
    return actions.create_ticket(**fields)


def event_types(ticket):
    return list(ticket.events.order_by("seq").values_list("type", flat=True))


def test_create_numbers_pins_prioritizes_and_queues(world):
    ticket = open_ticket(world)
    assert ticket.number == "INC0000001"
    assert ticket.contract_version == world.version
    assert ticket.priority == "P2"  # high impact, medium urgency
    assert ticket.status == Status.NEW
    assert ticket.team == world.teams["desk"]
    assert ticket.requester == world.people["requester"]
    created = ticket.events.get()
    assert created.type == EventType.CREATED
    assert created.data["priority"] == "P2"
    assert created.data["service"] == "sap-erp"
    assert created.data["team"] == "service-desk"
    assert created.seq == 1 and created.prev_hash == "" and created.hash == ticket.last_hash
    assert TicketTeam.objects.filter(ticket=ticket, team=world.teams["desk"]).exists()
    request = open_ticket(world, kind="request", title="New laptop")
    assert request.number == "REQ0000001"
    assert open_ticket(world, title="Again").number == "INC0000002"


def test_create_with_priority_override_needs_desk_role_and_reason(world):
    with pytest.raises(ActionRefused) as refused:
        open_ticket(world, priority="P1")
    assert set(refused.value.errors) == {"priority", "priority_reason"}
    ticket = open_ticket(
        world,
        actor=world.people["agent"],
        requester=world.people["requester"],
        priority="P1",
        priority_reason="CEO cannot invoice",
    )
    assert ticket.priority == "P1" and ticket.priority_overridden


def test_create_refuses_bad_fields_naming_each(world):
    with pytest.raises(ActionRefused) as refused:
        open_ticket(world, title=" ", impact="huge", urgency="soon", kind="question", category="Bad Cat")
    assert set(refused.value.errors) == {"title", "impact", "urgency", "kind", "category"}
    assert "huge" in refused.value.errors["impact"][0]
    assert Ticket.objects.count() == 0


def test_create_refuses_other_contracts_service_and_outsiders(world):
    other_service = world.other_contract.services.get()
    with pytest.raises(ActionRefused) as refused:
        open_ticket(world, service=other_service)
    assert "service" in refused.value.errors
    with pytest.raises(PermissionDenied):
        open_ticket(world, actor=world.people["other-requester"])
    with pytest.raises(PermissionDenied):
        open_ticket(world, actor=world.people["vendor-engineer"])
    with pytest.raises(ActionRefused) as refused:
        open_ticket(world, actor=world.people["agent"])  # on whose behalf?
    assert "requester" in refused.value.errors


def test_create_refuses_when_no_version_in_force(world):
    with pytest.raises(ActionRefused) as refused:
        open_ticket(world, at=datetime(2025, 6, 1, tzinfo=UTC))
    assert "2025-06-01" in refused.value.message


def test_route_by_matrix_assigns_resolver_team(world):
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=MONDAY + timedelta(minutes=5))
    assert ticket.team == world.teams["app-cn"]
    assert ticket.status == Status.ASSIGNED
    assert event_types(ticket) == ["created", "assigned", "status"]
    assert ticket.events.get(seq=2).data["team"] == "app-support-cn"
    assert TicketTeam.objects.filter(ticket=ticket).count() == 2


def test_requester_may_not_route(world):
    ticket = open_ticket(world)
    with pytest.raises(PermissionDenied):
        actions.route_ticket(ticket, actor=world.people["requester"])


def test_reassign_between_resolver_teams_needs_reason(world):
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=MONDAY + timedelta(minutes=1))
    with pytest.raises(ActionRefused) as refused:
        actions.assign_ticket(
            ticket, actor=world.people["resolver"], team=world.teams["hardware"], at=MONDAY + timedelta(minutes=2)
        )
    assert "reason" in refused.value.errors
    assert ticket.events.count() == 3
    actions.assign_ticket(
        ticket,
        actor=world.people["resolver"],
        team=world.teams["hardware"],
        reason="Disk failure on site",
        at=MONDAY + timedelta(minutes=2),
    )
    assert ticket.team == world.teams["hardware"]
    assert ticket.events.order_by("-seq").filter(type="assigned").first().data == {
        "team": "hw-onsite",
        "reason": "Disk failure on site",
    }
    assert Ticket.objects.visible_to(world.people["vendor-engineer"]).filter(pk=ticket.pk).exists()


def test_first_contact_resolution_then_close(world):
    ticket = open_ticket(world)
    agent = world.people["agent"]
    actions.resolve_ticket(ticket, actor=agent, resolution="Cleared the cache.", at=MONDAY + timedelta(minutes=3))
    assert ticket.status == Status.RESOLVED
    assert ticket.responded_at == MONDAY + timedelta(minutes=3)
    assert event_types(ticket) == ["created", "replied", "status"]
    actions.close_ticket(ticket, actor=world.people["requester"], at=MONDAY + timedelta(hours=1))
    assert ticket.status == Status.CLOSED and ticket.closed_at is not None
    with pytest.raises(ActionRefused) as refused:
        actions.reply(ticket, actor=agent, body="One more thing")
    assert refused.value.status == 409


def test_reopen_within_window_only(world, settings):
    settings.SERVICEPACT_REOPEN_WINDOW_HOURS = 24
    ticket = open_ticket(world)
    agent = world.people["agent"]
    actions.resolve_ticket(ticket, actor=agent, resolution="Done", at=MONDAY + timedelta(minutes=3))
    actions.reopen_ticket(
        ticket, actor=world.people["requester"], reason="Still broken", at=MONDAY + timedelta(hours=2)
    )
    assert ticket.status == Status.ASSIGNED and ticket.reopen_count == 1 and ticket.resolved_at is None
    actions.resolve_ticket(ticket, actor=agent, resolution="Done now", at=MONDAY + timedelta(hours=3))
    with pytest.raises(ActionRefused) as refused:
        actions.reopen_ticket(ticket, actor=world.people["requester"], reason="Broken", at=MONDAY + timedelta(hours=28))
    assert "24 hours" in refused.value.message
    assert ticket.reopen_count == 1


def test_status_transitions_refuse_no_op_and_from_closed(world):
    ticket = open_ticket(world)
    resolver = world.people["agent"]
    with pytest.raises(ActionRefused):
        actions.change_status(ticket, actor=resolver, status=Status.NEW)
    actions.change_status(ticket, actor=resolver, status=Status.PENDING_VENDOR, reason="Waiting on SAP")
    with pytest.raises(ActionRefused) as refused:
        actions.change_status(ticket, actor=resolver, status=Status.PENDING_VENDOR)
    assert refused.value.status == 409
    with pytest.raises(ActionRefused):
        actions.change_status(ticket, actor=resolver, status=Status.CLOSED)  # not resolved yet
    with pytest.raises(ActionRefused) as refused:
        actions.change_status(ticket, actor=resolver, status=Status.RESOLVED)
    assert "resolution" in refused.value.errors


def test_reply_sets_first_response_and_requester_answer_resumes(world):
    ticket = open_ticket(world)
    agent = world.people["agent"]
    actions.change_status(ticket, actor=agent, status=Status.PENDING_CUSTOMER, at=MONDAY + timedelta(minutes=1))
    event = actions.reply(ticket, actor=agent, body="Which company code?", at=MONDAY + timedelta(minutes=2))
    assert event.type == EventType.REPLIED and event.public
    assert ticket.responded_at == MONDAY + timedelta(minutes=2)
    actions.reply(ticket, actor=world.people["requester"], body="1000", at=MONDAY + timedelta(minutes=9))
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.responded_at == MONDAY + timedelta(minutes=2)


def test_notes_are_internal_and_staff_only(world):
    ticket = open_ticket(world)
    note = actions.add_note(ticket, actor=world.people["agent"], body="User is VIP")
    assert note.public is False and note.type == EventType.NOTE
    with pytest.raises(PermissionDenied):
        actions.add_note(ticket, actor=world.people["requester"], body="x")
    with pytest.raises(PermissionDenied):
        actions.add_note(ticket, actor=world.people["vendor-engineer"], body="x")


def test_events_stay_in_time_order(world):
    ticket = open_ticket(world)
    with pytest.raises(ActionRefused) as refused:
        actions.reply(ticket, actor=world.people["agent"], body="hi", at=MONDAY - timedelta(seconds=1))
    assert "at" in refused.value.errors and refused.value.status == 409


def test_change_priority_from_matrix_or_by_hand(world):
    ticket = open_ticket(world)
    agent = world.people["agent"]
    actions.change_priority(ticket, actor=agent, reason="Whole plant down", urgency="high")
    assert ticket.priority == "P1" and not ticket.priority_overridden
    event = ticket.events.get(type="priority")
    assert event.data == {"priority": "P1", "impact": "high", "urgency": "high", "reason": "Whole plant down"}
    actions.change_priority(ticket, actor=agent, reason="Workaround found", priority="P3")
    assert ticket.priority == "P3" and ticket.priority_overridden
    with pytest.raises(ActionRefused):
        actions.change_priority(ticket, actor=agent, reason="same", priority="P3")
    with pytest.raises(ActionRefused) as refused:
        actions.change_priority(ticket, actor=agent, reason="x", priority="P9")
    assert "P9" in refused.value.message
    with pytest.raises(PermissionDenied):
        actions.change_priority(ticket, actor=world.people["requester"], reason="x", urgency="low")


def test_update_fields_records_old_and_new(world):
    ticket = open_ticket(world)
    actions.update_fields(ticket, actor=world.people["agent"], title="Invoices fail to post", description="F5 702")
    changes = list(ticket.events.filter(type="field").values_list("data", flat=True))
    assert {"field": "title", "old": "Invoices do not post", "new": "Invoices fail to post"} in changes
    assert {"field": "description", "old": "", "new": "F5 702"} in changes
    assert ticket.title == "Invoices fail to post" and ticket.description == "F5 702"
    with pytest.raises(ActionRefused):
        actions.update_fields(ticket, actor=world.people["agent"], title="Invoices fail to post")


def test_update_fields_no_longer_edits_the_service_or_category(world):
    """Those are corrections, with a reason (test_actions_corrections.py)."""
    ticket = open_ticket(world)
    with pytest.raises(TypeError):
        actions.update_fields(ticket, actor=world.people["agent"], service=world.services["sso"])
    with pytest.raises(TypeError):
        actions.update_fields(ticket, actor=world.people["agent"], category="posting")


def test_assignee_must_be_member_of_the_queue(world):
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"])
    with pytest.raises(ActionRefused) as refused:
        actions.set_assignee(ticket, actor=world.people["team-lead"], assignee=world.people["agent"])
    assert "agent@example.test" in refused.value.message
    actions.set_assignee(ticket, actor=world.people["team-lead"], assignee=world.people["resolver"])
    assert ticket.assignee == world.people["resolver"]
    assert ticket.events.get(type="assignee").data == {"assignee": "resolver@example.test"}


def test_watchers(world):
    ticket = open_ticket(world)
    manager = world.people["customer-manager"]
    actions.add_watcher(ticket, actor=manager, user=manager)
    assert list(ticket.watchers.all()) == [manager]
    with pytest.raises(ActionRefused):
        actions.add_watcher(ticket, actor=manager, user=manager)
    with pytest.raises(ActionRefused):
        actions.add_watcher(ticket, actor=world.people["agent"], user=world.people["other-requester"])
    actions.remove_watcher(ticket, actor=manager, user=manager)
    assert not ticket.watchers.exists()


def test_every_action_keeps_the_chain_whole(world):
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"])
    actions.reply(ticket, actor=world.people["resolver"], body="Looking")
    actions.add_note(ticket, actor=world.people["resolver"], body="Checked logs")
    actions.resolve_ticket(ticket, actor=world.people["resolver"], resolution="Fixed")
    assert ticket.event_count == TicketEvent.objects.filter(ticket=ticket).count() == 7
    assert list(verify_all()) == []
