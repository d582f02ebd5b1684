"""Impact analysis: what fails with an item (upstream), what it needs (downstream), the business services
and the open tickets affected."""

import pytest

from servicepact.cmdb import actions
from servicepact.cmdb.models import ConfigurationItem
from servicepact.cmdb.queries import impact_of
from servicepact.cmdb.tests.factories import build_cmdb
from servicepact.contracts import actions as contract_actions
from servicepact.desk import actions as desk_actions
from servicepact.testing.factories import EXAMPLE_CONTRACT

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world):
    return build_cmdb(world)


def keys(items):
    return sorted(item.key for item in items)


def test_a_shared_storage_failure_reaches_the_business_service_through_two_paths(world, items):
    impact = impact_of([items["san-1"]], world.people["agent"])
    assert keys(impact.upstream) == ["sap-app", "sap-db", "sap-erp", "sap-srv-1"]
    assert keys(impact.services) == ["sap-erp"]
    assert impact.downstream == []
    assert impact.depth[items["sap-erp"].pk] == -3


def test_downstream_is_what_the_item_needs(world, items):
    impact = impact_of([items["sap-erp"]], world.people["agent"])
    assert keys(impact.downstream) == ["san-1", "sap-app", "sap-db", "sap-srv-1", "sso", "sso-srv"]
    assert keys(impact.services) == ["sap-erp"]


def test_a_business_service_needed_by_another_is_affected_too(world, items):
    impact = impact_of([items["sso-srv"]], world.people["agent"])
    assert keys(impact.services) == ["sap-erp", "sso"]


def test_an_isolated_item_affects_nothing(world, items):
    impact = impact_of([items["laptop-1"]], world.people["agent"])
    assert impact.upstream == impact.downstream == impact.services == []


def test_open_tickets_on_affected_items_and_services_are_listed(world, items):
    requester = world.people["requester"]
    on_service = desk_actions.create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Slow",
        impact="low",
        urgency="low",
    )
    on_hr = desk_actions.create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["hr-portal"],
        title="HR",
        impact="low",
        urgency="low",
    )
    actions.link_ticket(on_hr, items["sap-db"], actor=world.people["agent"])
    impact = impact_of([items["san-1"]], world.people["agent"])
    assert {ticket.number for ticket in impact.tickets} == {on_service.number, on_hr.number}
    # The other tenant sees none of it.
    assert impact_of([items["san-1"]], world.people["other-manager"]).items == []


def test_business_services_follow_the_contract(world, items):
    sap = items["sap-erp"]
    assert sap.service == world.services["sap-erp"]
    assert sap.tier == 1 and sap.name == "SAP ERP"
    assert actions.keep_business_services(world.contract) == []


def test_signing_a_version_keeps_the_business_services_in_step(world):
    source = EXAMPLE_CONTRACT.read_text().replace("version: 1\n", "version: 2\n", 1)
    source = source.replace("hr-portal: {name: HR portal, tier: 3", "hr-portal: {name: People portal, tier: 2")
    version = contract_actions.register_version(world.contract, actor=world.people["customer-manager"], source=source)
    contract_actions.sign_version(version, actor=world.people["customer-manager"])
    contract_actions.sign_version(version, actor=world.people["administrator"])
    services = ConfigurationItem.objects.filter(contract=world.contract, item_class="business_service")
    assert sorted(services.values_list("key", flat=True)) == ["hr-portal", "mes-asia", "sap-erp", "sso"]
