"""The responsibility matrix: lowest precedence among matching rules wins; the requester's own IT."""

from datetime import UTC, datetime

import pytest

from servicepact.desk import actions
from servicepact.desk.models import RoutingRule, Status
from servicepact.desk.routing import matching_rule
from servicepact.refusals import ActionRefused

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_ticket(world, service="sap-erp", category=""):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services[service],
        category=category,
        title="Help",
        impact="medium",
        urgency="medium",
        at=MONDAY,
    )


def test_default_rule_when_nothing_more_specific_matches(world):
    assert matching_rule(open_ticket(world)).team == world.teams["app-cn"]


def test_service_rule_beats_default(world):
    assert matching_rule(open_ticket(world, service="sso")).team == world.teams["security"]


def test_lowest_precedence_wins_not_the_most_specific(world):
    # sso + hardware-onsite matches the sso rule (10) and the category rule (5): the category rule wins.
    ticket = open_ticket(world, service="sso", category="hardware-onsite")
    assert matching_rule(ticket).team == world.teams["hardware"]
    RoutingRule.objects.create(
        contract=world.contract,
        service=world.services["sso"],
        category="hardware-onsite",
        team=world.teams["app-cn"],
        precedence=50,
    )
    assert matching_rule(ticket).team == world.teams["hardware"]


def test_equal_precedence_goes_to_the_older_rule(world):
    ticket = open_ticket(world, service="mes-asia")
    RoutingRule.objects.create(
        contract=world.contract, service=world.services["mes-asia"], team=world.teams["security"], precedence=20
    )
    RoutingRule.objects.create(
        contract=world.contract, service=world.services["mes-asia"], team=world.teams["hardware"], precedence=20
    )
    assert matching_rule(ticket).team == world.teams["security"]


def test_rules_of_other_contracts_do_not_match(world):
    RoutingRule.objects.create(contract=world.other_contract, team=world.teams["hardware"], precedence=1)
    assert matching_rule(open_ticket(world)).team == world.teams["app-cn"]


def test_no_matching_rule_names_what_is_missing(world):
    RoutingRule.objects.filter(contract=world.contract, service__isnull=True, category="").delete()
    ticket = open_ticket(world, service="hr-portal", category="payroll")
    with pytest.raises(ActionRefused) as refused:
        actions.route_ticket(ticket, actor=world.people["agent"])
    assert "globex-ito" in refused.value.message
    assert "hr-portal" in refused.value.message and "payroll" in refused.value.message
    assert ticket.events.count() == 1


def test_route_to_the_requesters_own_it(world):
    RoutingRule.objects.create(
        contract=world.contract,
        category="badge-access",
        to_requester=True,
        precedence=1,
        description="Globex facility security (badge office)",
    )
    ticket = open_ticket(world, category="badge-access")
    actions.route_ticket(ticket, actor=world.people["agent"])
    assert ticket.status == Status.PENDING_CUSTOMER
    assert ticket.team == world.teams["desk"]
    reply = ticket.events.get(type="replied")
    assert reply.public and "Globex facility security (badge office)" in reply.data["body"]
    assert not ticket.events.filter(type="assigned").exists()


def test_routing_again_to_the_same_queue_is_refused(world):
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"])
    with pytest.raises(ActionRefused) as refused:
        actions.route_ticket(ticket, actor=world.people["agent"])
    assert refused.value.status == 409
