"""The responsibility matrix written by the provider's administrators; new tickets follow it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from servicepact.accounts import actions as account_actions
from servicepact.accounts.models import AdministrationAction, AdministrationRecord, Role
from servicepact.desk import actions
from servicepact.desk.actions import routing_rules
from servicepact.desk.models import RoutingRule
from servicepact.refusals import ActionRefused

pytestmark = pytest.mark.django_db


def test_a_new_rule_routes_new_tickets_and_is_recorded(world):
    admin = world.people["administrator"]
    rule = routing_rules.create_routing_rule(
        actor=admin,
        contract=world.contract,
        service=world.services["hr-portal"],
        category="",
        team=world.teams["security"],
        to_requester=False,
        precedence=20,
        description="HR portal: Globex security",
    )
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["hr-portal"],
        title="Payslip missing",
        impact="low",
        urgency="low",
    )
    assert actions.route_ticket(ticket, actor=world.people["agent"]).team == world.teams["security"]
    assert RoutingRule.objects.filter(pk=rule.pk).exists()
    assert AdministrationRecord.objects.filter(
        organization=world.provider, action=AdministrationAction.ROUTING_CREATED
    ).exists()
    routing_rules.update_routing_rule(
        rule,
        actor=admin,
        service=world.services["hr-portal"],
        category="",
        team=None,
        to_requester=True,
        precedence=20,
        description="",
    )
    assert RoutingRule.objects.get(pk=rule.pk).to_requester
    routing_rules.delete_routing_rule(rule, actor=admin)
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()


def test_only_the_providers_administrators_write_the_routing(world):
    customer_admin = account_actions.create_person(
        actor=world.people["administrator"], email="x@example.test", full_name="X", role=Role.AGENT
    )
    for person in (world.people["agent"], world.people["customer-manager"], customer_admin):
        with pytest.raises(PermissionDenied):
            routing_rules.create_routing_rule(
                actor=person,
                contract=world.contract,
                service=None,
                category="",
                team=world.teams["desk"],
                to_requester=False,
                precedence=1,
            )


def test_a_rule_names_the_contracts_own_service_category_and_parties_team_and_one_destination(world):
    admin = world.people["administrator"]
    other_team = account_actions.create_team(actor=admin, name="Initech desk")
    cases = [
        ({"service": world.other_contract.services.first()}, "service"),
        ({"category": "no-such-category"}, "category"),
        ({"team": None}, "team"),
        ({"to_requester": True}, "team"),
        ({"precedence": -1}, "precedence"),
    ]
    for change, field in cases:
        arguments = {
            "service": None,
            "category": "",
            "team": world.teams["desk"],
            "to_requester": False,
            "precedence": 5,
        } | change
        with pytest.raises(ActionRefused) as refused:
            routing_rules.create_routing_rule(actor=admin, contract=world.contract, **arguments)
        assert field in refused.value.errors, change
    # A team of the provider is a party's team; a vendor's team too.
    routing_rules.create_routing_rule(
        actor=admin,
        contract=world.contract,
        service=None,
        category="",
        team=other_team,
        to_requester=False,
        precedence=5,
    )
    routing_rules.create_routing_rule(
        actor=admin,
        contract=world.contract,
        service=None,
        category="",
        team=world.teams["hardware"],
        to_requester=False,
        precedence=6,
    )


def test_the_contract_keeps_a_default_rule(world):
    default = RoutingRule.objects.get(contract=world.contract, service__isnull=True, category="")
    with pytest.raises(ActionRefused):
        routing_rules.delete_routing_rule(default, actor=world.people["administrator"])


def test_the_customers_administrator_reads_the_routing_but_does_not_edit_it(world, client):
    customer_admin = world.people["customer-manager"]
    customer_admin.memberships.create(organization=world.customer, role=Role.ADMINISTRATOR)
    client.force_login(customer_admin)
    page = client.get(reverse("organization:routing"))
    assert page.status_code == 200 and "Kept by the provider" in page.content.decode()
    assert 'id="rule-form"' not in page.content.decode()
    before = RoutingRule.objects.count()
    client.post(
        reverse("organization:routing") + "?contract=globex-ito", {"destination": "requester", "precedence": "1"}
    )
    assert RoutingRule.objects.count() == before
