"""Who is on call: daily and weekly turns at the hand-off time in the team's zone, DST, layers, overrides."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from servicepact.oncall import actions
from servicepact.oncall.schedule import SECONDARY, on_call
from servicepact.refusals import ActionRefused
from servicepact.testing import factories

SHANGHAI, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin")


def test_daily_turns_change_hands_at_the_hand_off_time_in_the_teams_zone(world, rotas, second):
    team, resolver = world.teams["app-cn"], world.people["resolver"]
    assert on_call(team, dt.datetime(2026, 3, 1, 8, 59, tzinfo=SHANGHAI)) is None  # before the first turn
    assert on_call(team, dt.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)) == resolver
    assert on_call(team, dt.datetime(2026, 3, 2, 8, 59, 59, tzinfo=SHANGHAI)) == resolver
    assert on_call(team, dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)) == second
    assert on_call(team, dt.datetime(2026, 3, 3, 3, 0, tzinfo=SHANGHAI)) == second  # the night after
    assert on_call(team, dt.datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI)) == resolver
    assert on_call(team, dt.datetime(2026, 3, 4, 12, 0, tzinfo=SHANGHAI), SECONDARY) == world.people["team-lead"]


def test_the_hand_off_stays_at_nine_on_the_wall_clock_across_dst(world):
    lead = world.people["team-lead"]
    team = world.teams["app-cn"]
    team.timezone = "Europe/Berlin"
    team.save()
    other = factories.UserFactory(email="b@example.test", organization=world.provider)
    from servicepact.accounts.models import Membership, Role

    Membership.objects.create(user=other, organization=world.provider, team=team, role=Role.RESOLVER)
    actions.save_rotation(
        actor=lead,
        team=team,
        name="Berlin",
        layer=1,
        period="weekly",
        handoff_time=dt.time(9),
        starts_on=dt.date(2026, 3, 23),
        members=[lead, other],
    )
    # Clocks go forward on Sunday 29 March; the hand-off is Monday 30 March at 09:00 CEST (07:00Z).
    assert on_call(team, dt.datetime(2026, 3, 30, 6, 59, tzinfo=dt.UTC)) == lead
    assert on_call(team, dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC)) == other
    # ... and back on 25 October: 09:00 CET is 08:00Z on Monday 26 October, the 31st turn (an odd one).
    assert on_call(team, dt.datetime(2026, 10, 26, 7, 59, tzinfo=dt.UTC)) == lead
    assert on_call(team, dt.datetime(2026, 10, 26, 8, 0, tzinfo=dt.UTC)) == other


def test_an_override_wins_for_its_hours_only(world, rotas, second):
    team = world.teams["app-cn"]
    sick = dt.datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI)
    actions.add_override(
        rotas,
        actor=world.people["team-lead"],
        person=world.people["team-lead"],
        starts_at=sick,
        ends_at=sick + dt.timedelta(hours=6),
        reason="Second is sick",
    )
    assert on_call(team, sick - dt.timedelta(seconds=1)) == second
    assert on_call(team, sick) == world.people["team-lead"]
    assert on_call(team, sick + dt.timedelta(hours=6)) == second


def test_bad_plans_are_refused_by_field(world, rotas):
    lead, team = world.people["team-lead"], world.teams["app-cn"]
    with pytest.raises(ActionRefused) as refused:
        actions.save_rotation(
            actor=lead,
            team=team,
            name="X",
            layer=1,
            period="daily",
            handoff_time=dt.time(9),
            starts_on=dt.date(2026, 3, 1),
            members=[world.people["agent"]],
        )
    assert "members" in refused.value.errors
    with pytest.raises(ActionRefused) as refused:
        actions.save_policy(actor=lead, team=team, name="X", steps=[("on_call", 0), ("janitor", 5)])
    assert "step 2" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        actions.add_override(
            rotas,
            actor=lead,
            person=lead,
            starts_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            reason="x",
        )
    assert "ends_at" in refused.value.errors
    assert [m.person for m in rotas.members.all()] == [world.people["resolver"], rotas.members.all()[1].person]
