"""An on-call world: application support China with two people in turn, a secondary and a policy."""

import datetime as dt

import pytest

from servicepact.accounts.models import Membership, Role
from servicepact.oncall import actions
from servicepact.testing import factories


@pytest.fixture
def second(world):
    person = factories.UserFactory(email="second@example.test", full_name="Second", organization=world.provider)
    Membership.objects.create(user=person, organization=world.provider, team=world.teams["app-cn"], role=Role.RESOLVER)
    return person


@pytest.fixture
def rotas(world, second):
    """Daily turns at 09:00 Shanghai from Sunday 1 March 2026: resolver, then second; the lead is secondary."""
    team, lead = world.teams["app-cn"], world.people["team-lead"]
    primary = actions.save_rotation(
        actor=lead,
        team=team,
        name="Primary",
        layer=1,
        period="daily",
        handoff_time=dt.time(9),
        starts_on=dt.date(2026, 3, 1),
        members=[world.people["resolver"], second],
    )
    actions.save_rotation(
        actor=lead,
        team=team,
        name="Secondary",
        layer=2,
        period="weekly",
        handoff_time=dt.time(9),
        starts_on=dt.date(2026, 3, 2),
        members=[lead],
    )
    actions.save_policy(
        actor=lead, team=team, name="Application support", steps=[("on_call", 0), ("secondary", 10), ("team_lead", 20)]
    )
    return primary
