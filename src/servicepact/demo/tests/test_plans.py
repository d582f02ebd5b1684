"""The demo's plans, without a database: deterministic, in business hours, in time order, every queue."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from servicepact.demo.arrivals import REGIONS, arrivals
from servicepact.demo.catalogue import ROUTES
from servicepact.demo.plans import Planner, route_for
from servicepact.demo.scenario import reference_terms
from servicepact.demo.simulator import history_start
from servicepact.demo.tails import OPEN_WORK, TEAM_OF, open_work_plans
from servicepact.demo.texts import description

END = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def terms():
    return reference_terms()


def plans_for(terms, seed: int, months: int = 1):
    rng = random.Random(seed)
    planner = Planner(terms, rng)
    return [planner.plan(arrival) for arrival in arrivals(rng, terms, history_start(END, months), END)]


def test_the_same_seed_gives_the_same_history_and_another_seed_another(terms):
    assert plans_for(terms, 7) == plans_for(terms, 7)
    assert plans_for(terms, 7) != plans_for(terms, 8)


def test_a_month_brings_some_five_hundred_tickets(terms):
    assert 350 <= len(plans_for(terms, 7)) <= 650


def test_tickets_arrive_while_their_region_is_open(terms):
    calendars = {
        service: terms.business_calendar(region.calendar) for region in REGIONS for service, _ in region.services
    }
    for plan in plans_for(terms, 3):
        calendar = calendars[plan.arrival.service]
        assert calendar.elapsed(plan.arrival.at, plan.arrival.at + 1) == 1, plan.arrival


def test_steps_run_forward_from_creation_to_closing(terms):
    for plan in plans_for(terms, 5):
        instants = [step.at for step in plan.steps]
        assert instants == sorted(instants) and len(set(instants)) == len(instants)
        assert plan.steps[0].action == "create"
        assert plan.steps[-1].action == "close"


def test_the_mix_has_first_contact_resolutions_pauses_handoffs_reopens_and_breaches(terms):
    plans = plans_for(terms, 11, months=2)
    actions = [step.action for plan in plans for step in plan.steps]
    first_contact = [p for p in plans if "route" not in {s.action for s in p.steps}]
    assert 0.25 < len(first_contact) / len(plans) < 0.6
    assert any(step.args.get("status") == "pending_customer" for plan in plans for step in plan.steps)
    assert any(step.args.get("status") == "pending_vendor" for plan in plans for step in plan.steps)
    assert "assign" in actions and "reopen" in actions and "priority" in actions
    late = 0
    for plan in plans:
        priority = terms.priority_for(plan.arrival.impact, plan.arrival.urgency)
        _, calendar = terms.clock_calendar("resolution", priority, plan.arrival.service)
        resolved = next(step.at for step in plan.steps if step.action == "resolve")
        late += calendar.elapsed(plan.arrival.at, resolved) > terms.clocks["resolution"].targets[priority].within_s
    assert 0.02 < late / len(plans) < 0.25


def test_routing_follows_the_responsibility_matrix():
    assert route_for("sso", "password-reset").team == "globex-security"
    assert route_for("sso", "hardware-onsite").team == "kestrel-onsite"
    assert route_for("mes-asia", "application-error").team == "app-support-cn"
    assert route_for("sap-erp", "application-error").team == "app-support-in"
    assert route_for("sap-erp", "local-it").to_requester
    assert all(route_for(service, category).team == team for (service, category), team in TEAM_OF.items())


def test_open_work_reaches_every_resolver_queue_and_stays_before_the_end():
    plans = open_work_plans(END)
    assert len(plans) == len(OPEN_WORK)
    assert all(step.at < END.timestamp() for plan in plans for step in plan.steps)
    resolver_teams = {route.team for route in ROUTES if route.team}
    assert set(TEAM_OF.values()) == resolver_teams


def test_a_history_beginning_just_after_the_first_of_a_month_begins_on_the_first():
    end = datetime(2026, 12, 1, 13, 22, tzinfo=UTC)
    assert history_start(end, 6, "Europe/Berlin") == datetime(2026, 5, 31, 22, tzinfo=UTC)  # 1 June, Berlin
    assert history_start(end, 6) == end - timedelta(days=183)
    later = datetime(2026, 12, 20, 9, tzinfo=UTC)
    assert history_start(later, 6, "Europe/Berlin") == later - timedelta(days=183)


def test_descriptions_fit_their_service_and_differ_between_tickets():
    texts = {
        description("MIGO hangs on save", "sap-erp", "application-error", 1_780_000_000 + n * 977) for n in range(40)
    }
    assert len(texts) >= 20
    assert all(text != "MIGO hangs on save" and len(text.split(". ")) >= 2 for text in texts)
    assert description("Locked out", "sso", "password-reset", 1) == description(
        "Locked out", "sso", "password-reset", 1
    )
