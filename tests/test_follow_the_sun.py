"""Follow-the-sun: routing to the team on shift, and the handover of open tickets at a shift's end."""

import datetime as dt

import pytest

from servicepact.accounts.models import Membership, Role
from servicepact.desk import actions
from servicepact.desk.models import EventType, RoutingRule, TicketEvent
from servicepact.refusals import ActionRefused
from servicepact.rosters import actions as rosters
from servicepact.rosters.models import ShiftPattern
from servicepact.slm.models import ClockState, ClockStateKind
from servicepact.testing import factories
from tests.access_world import version_with_internal_clocks

UTC = dt.UTC


@pytest.fixture
def sun(world):
    """China 09:00-18:00 Shanghai (01-10 UTC), India 15:30-00:30 Kolkata (10-19 UTC), on weekdays."""
    version_with_internal_clocks(world)
    china = world.teams["app-cn"]
    india = factories.TeamFactory(
        slug="app-support-in", name="Application support India", organization=world.provider, timezone="Asia/Kolkata"
    )
    weekdays = [1, 2, 3, 4, 5]
    ShiftPattern.objects.create(team=china, name="Day", weekdays=weekdays, starts_at=dt.time(9), ends_at=dt.time(18))
    ShiftPattern.objects.create(
        team=india, name="Evening", weekdays=weekdays, starts_at=dt.time(15, 30), ends_at=dt.time(0, 30)
    )
    rule = RoutingRule.objects.get(contract=world.contract, service=None, category="")
    rosters.set_sun_teams(rule, actor=world.people["administrator"], teams=[china, india])
    return china, india


def new_ticket(world, at):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="SAP posting fails",
        impact="high",
        urgency="medium",
        at=at,
    )


@pytest.mark.parametrize(
    ("hour", "team"),
    [(3, "app-support-cn"), (12, "app-support-in"), (23, "app-support-cn")],  # the last: nobody, the rule's team
)
def test_a_ticket_goes_to_the_team_on_shift_when_it_is_routed(world, sun, hour, team):
    at = dt.datetime(2026, 3, 3, hour, tzinfo=UTC)
    ticket = new_ticket(world, at)
    actions.route_ticket(ticket, actor=world.people["agent"], at=at)
    assert ticket.team.slug == team


def test_the_handover_moves_open_tickets_with_a_note_counted_as_a_reassignment(world, sun):
    china, india = sun
    morning = dt.datetime(2026, 3, 3, 3, tzinfo=UTC)
    held = [new_ticket(world, morning) for _ in range(2)]
    for ticket in held:
        actions.route_ticket(ticket, actor=world.people["agent"], at=morning)
    actions.resolve_ticket(
        held[1], actor=world.people["resolver"], resolution="Fixed.", at=morning + dt.timedelta(hours=1)
    )
    assert ClockState.objects.get(ticket=held[0], clock="ola:app-support-cn").state == ClockStateKind.RUNNING

    with pytest.raises(ActionRefused) as refused:  # 09:00 UTC: India is not on shift yet
        rosters.hand_over(china, actor=world.people["team-lead"], note="x", at=dt.datetime(2026, 3, 3, 9, tzinfo=UTC))
    assert "team" in refused.value.errors

    evening = dt.datetime(2026, 3, 3, 10, 5, tzinfo=UTC)
    successor, moved = rosters.hand_over(
        china, actor=world.people["team-lead"], note="Posting period lock suspected; logs attached.", at=evening
    )
    assert successor == india
    assert [t.pk for t in moved] == [held[0].pk]
    held[0].refresh_from_db()
    assert held[0].team == india
    event = TicketEvent.objects.filter(ticket=held[0], type=EventType.ASSIGNED).latest("id")
    assert event.data["team"] == "app-support-in"
    assert "Posting period lock suspected" in event.data["reason"]
    assert event.at == evening
    ola = ClockState.objects.get(ticket=held[0], clock="ola:app-support-cn")
    assert ola.state != ClockStateKind.RUNNING
    assert ola.elapsed_s == 7 * 3600 + 5 * 60
    held[1].refresh_from_db()
    assert held[1].team == china  # resolved: not handed over


def test_only_the_teams_people_hand_over_and_a_note_is_needed(world, sun):
    china, _india = sun
    with pytest.raises(ActionRefused) as refused:
        rosters.hand_over(china, actor=world.people["team-lead"], note="  ")
    assert "note" in refused.value.errors
    outsider = factories.UserFactory(email="other-lead@example.test", organization=world.provider)
    Membership.objects.create(user=outsider, organization=world.provider, role=Role.RESOLVER)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        rosters.hand_over(china, actor=outsider, note="Night")
