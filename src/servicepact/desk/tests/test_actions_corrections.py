"""Correcting a ticket's service or category: a reason, an event of its own, the projection and the clocks."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from servicepact.contracts.models import Category
from servicepact.desk import actions
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import EventType, Ticket, TicketEvent
from servicepact.notify.models import Outbox
from servicepact.refusals import ActionRefused
from servicepact.slm.models import ClockState

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ticket(world) -> Ticket:
    """A P3 ticket reported on SAP ERP (European business hours), no category."""
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Screen flickers at the line terminal",
        impact="medium",
        urgency="medium",
        at=MONDAY,
    )


def state(ticket: Ticket) -> tuple:
    """Everything a refused correction must leave alone."""
    row = Ticket.objects.values_list("service_id", "category", "event_count", "last_hash", "updated_at").get(
        pk=ticket.pk
    )
    events = list(TicketEvent.objects.filter(ticket=ticket).order_by("seq").values_list("seq", "hash"))
    clocks = list(
        ClockState.objects.filter(ticket=ticket).order_by("clock").values_list("clock", "calendar", "computed_at")
    )
    return row, events, clocks, Outbox.objects.count()


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_correction_without_a_reason_is_refused_naming_the_reason_and_changes_nothing(world, ticket, reason):
    before = state(ticket)
    with pytest.raises(ActionRefused) as refused:
        actions.correct_classification(
            ticket,
            actor=world.people["agent"],
            service=world.services["mes-asia"],
            category="hardware-onsite",
            reason=reason,
            at=MONDAY + timedelta(minutes=5),
        )
    assert refused.value.status == 422 and list(refused.value.errors) == ["reason"]
    assert state(ticket) == before
    assert (ticket.service, ticket.category) == (world.services["sap-erp"], "")


def test_the_correction_is_an_event_with_actor_reason_old_and_new_and_the_projection_follows(world, ticket):
    agent = world.people["agent"]
    at = MONDAY + timedelta(minutes=20)
    actions.correct_classification(
        ticket,
        actor=agent,
        service=world.services["mes-asia"],
        category="hardware-onsite",
        reason="The terminal's screen is broken: on-site hardware of the MES",
        at=at,
    )
    event = ticket.events.order_by("seq").last()
    assert (event.type, event.actor, event.at, event.public) == (EventType.CORRECTED, agent, at, True)
    assert event.data == {
        "service": {"old": "sap-erp", "new": "mes-asia"},
        "category": {"old": "", "new": "hardware-onsite"},
        "reason": "The terminal's screen is broken: on-site hardware of the MES",
    }
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.service, stored.category) == (world.services["mes-asia"], "hardware-onsite")
    assert (ticket.service, ticket.category, ticket.event_count) == (stored.service, stored.category, 2)
    # The created event stays as it was recorded.
    created = ticket.events.get(type=EventType.CREATED)
    assert (created.data["service"], created.data["category"]) == ("sap-erp", "")
    assert list(verify_all()) == []
    out = StringIO()
    call_command("events", "verify", stdout=out)  # servicepact events verify
    assert "1 ticket(s) checked: every hash chain is whole" in out.getvalue()


def test_the_clocks_follow_the_corrected_service_for_the_tickets_whole_life(world, ticket):
    assert set(
        ClockState.objects.filter(ticket=ticket, clock__in=["response", "resolution"]).values_list(
            "calendar", flat=True
        )
    ) == {"eu-business"}
    at = MONDAY + timedelta(minutes=20)
    actions.correct_classification(
        ticket,
        actor=world.people["agent"],
        service=world.services["mes-asia"],
        reason="Reported on SAP, but it is the MES line terminal",
        at=at,
    )
    clocks = ClockState.objects.filter(ticket=ticket, clock__in=["response", "resolution"])
    assert {(clock.calendar, clock.computed_at) for clock in clocks} == {("cn-business", at)}


def test_only_what_changes_is_recorded_and_nothing_to_correct_is_a_conflict(world, ticket):
    agent = world.people["agent"]
    actions.correct_classification(
        ticket,
        actor=agent,
        service=world.services["sap-erp"],
        category="posting",
        reason="It is about posting",
        at=MONDAY + timedelta(minutes=1),
    )
    assert ticket.events.get(type=EventType.CORRECTED).data == {
        "category": {"old": "", "new": "posting"},
        "reason": "It is about posting",
    }
    before = state(ticket)
    with pytest.raises(ActionRefused) as refused:
        actions.correct_classification(
            ticket,
            actor=agent,
            service=world.services["sap-erp"],
            category="posting",
            reason="again",
            at=MONDAY + timedelta(minutes=2),
        )
    assert refused.value.status == 409 and set(refused.value.errors) == {"service", "category"}
    with pytest.raises(ActionRefused) as nothing:
        actions.correct_classification(ticket, actor=agent, reason="no values", at=MONDAY + timedelta(minutes=2))
    assert nothing.value.status == 422 and set(nothing.value.errors) == {"service"}
    assert state(ticket) == before


def test_clearing_the_category(world, ticket):
    agent = world.people["agent"]
    actions.correct_classification(
        ticket, actor=agent, category="posting", reason="Posting", at=MONDAY + timedelta(minutes=1)
    )
    actions.correct_classification(
        ticket, actor=agent, category="", reason="No category fits", at=MONDAY + timedelta(minutes=2)
    )
    assert Ticket.objects.get(pk=ticket.pk).category == ""
    assert ticket.events.order_by("seq").last().data["category"] == {"old": "posting", "new": ""}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"category": "Not A Slug"}, "category"),
        ({"category": "unknown-category"}, "category"),
        ({"service": "other-contract"}, "service"),
    ],
)
def test_values_outside_the_contract_are_refused_naming_the_field(world, ticket, change, field):
    Category.objects.create(contract=world.contract, key="hardware-onsite", name="Hardware on site")
    if change.get("service") == "other-contract":
        change = {"service": world.other_contract.services.get(key="sap-erp")}
    before = state(ticket)
    with pytest.raises(ActionRefused) as refused:
        actions.correct_classification(ticket, actor=world.people["agent"], reason="Because", **change)
    assert list(refused.value.errors) == [field]
    assert state(ticket) == before


@pytest.mark.parametrize(
    "person", ["resolver", "requester", "customer-manager", "analyst", "vendor-engineer", "other-requester"]
)
def test_only_those_who_may_triage_the_ticket_correct_it(world, ticket, person):
    before = state(ticket)
    with pytest.raises(PermissionDenied):
        actions.correct_classification(ticket, actor=world.people[person], service=world.services["sso"], reason="mine")
    assert state(ticket) == before


@pytest.mark.parametrize("person", ["agent", "team-lead", "administrator"])
def test_the_desks_triage_roles_correct_it(world, ticket, person):
    actions.correct_classification(ticket, actor=world.people[person], service=world.services["sso"], reason="SSO")
    assert Ticket.objects.get(pk=ticket.pk).service == world.services["sso"]


def test_a_closed_ticket_can_still_be_corrected(world, ticket):
    """A misclassification is often found in the SLA review, after the ticket was closed."""
    agent = world.people["agent"]
    actions.resolve_ticket(ticket, actor=agent, resolution="Replaced the screen", at=MONDAY + timedelta(hours=1))
    actions.close_ticket(ticket, actor=world.people["requester"], at=MONDAY + timedelta(hours=2))
    actions.correct_classification(
        ticket, actor=agent, category="hardware-onsite", reason="On-site hardware", at=MONDAY + timedelta(days=10)
    )
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.category) == ("closed", "hardware-onsite")
    assert list(verify_all()) == []


def test_the_watchers_are_told_with_the_reason(world, ticket):
    manager = world.people["customer-manager"]
    actions.add_watcher(ticket, actor=manager, user=manager, at=MONDAY + timedelta(minutes=1))
    sent = Outbox.objects.count()
    actions.correct_classification(
        ticket,
        actor=world.people["agent"],
        service=world.services["sso"],
        reason="The SSO certificate expired",
        at=MONDAY + timedelta(minutes=2),
    )
    message = Outbox.objects.order_by("pk").last()
    assert Outbox.objects.count() == sent + 1
    assert message.recipients == [manager.email] and "The SSO certificate expired" in message.body
