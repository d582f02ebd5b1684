"""Changes meet a contract whose version 2 names the advisory board (a customer team of two), the
implementers (the provider's application support team), "all" of the board for high risk, and freezes."""

from datetime import date

import pytest

from servicepact.accounts.models import Membership, Role
from servicepact.changes.models import StandardChange
from servicepact.cmdb.tests.factories import build_cmdb
from servicepact.testing import factories

CHANGES = """
changes:
  advisory_board: globex-cab
  implementers: app-support-cn
  approval: {low: any, medium: any, high: all}
  freezes:
    - {from: 2027-01-01, to: 2027-01-03, reason: New year}
    - {from: 2027-02-01, to: 2027-02-02, reason: SAP quarter close, services: [sap-erp]}
"""


@pytest.fixture
def cab(world):
    team = factories.TeamFactory(slug="globex-cab", name="Globex CAB", organization=world.customer)
    second = factories.UserFactory(email="cab-member@example.test", full_name="Cab Member", organization=world.customer)
    Membership.objects.create(user=second, organization=world.customer, team=team, role=Role.CUSTOMER_MANAGER)
    first = world.people["customer-manager"]
    Membership.objects.create(user=first, organization=world.customer, team=team, role=Role.CUSTOMER_MANAGER)
    source = factories.EXAMPLE_CONTRACT.read_text().replace("version: 1\n", "version: 2\n", 1) + CHANGES
    factories.ContractVersionFactory(contract=world.contract, number=2, source=source, effective_from=date(2026, 1, 1))
    return [first, second]


@pytest.fixture
def items(world):
    return build_cmdb(world)


@pytest.fixture
def template(world):
    return StandardChange.objects.create(
        contract=world.contract,
        key="patch-linux",
        title="Monthly Linux patching",
        implementation_plan="Patch and reboot one node at a time.",
        backout_plan="Boot the previous kernel.",
    )
