"""pytest fixtures: a small outsourcing world (one customer, its provider, a vendor, another customer).

Each fixture is named for what it makes. ``world`` holds everything; the person fixtures pick from it.
"""

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import cache

from servicepact.accounts.models import Membership, Organization, OrganizationKind, Role, Team, User
from servicepact.contracts.models import Contract, ContractVersion, Service
from servicepact.desk.models import RoutingRule
from servicepact.testing import factories


@dataclass
class World:
    customer: Organization
    provider: Organization
    vendor: Organization
    other_customer: Organization
    contract: Contract
    version: ContractVersion
    other_contract: Contract
    services: dict[str, Service]
    teams: dict[str, Team]
    people: dict[str, User] = field(default_factory=dict)


def _person(key: str, organization: Organization, role: str, team: Team | None = None) -> User:
    user = factories.UserFactory(
        email=f"{key}@example.test", full_name=key.replace("-", " ").title(), organization=organization
    )
    Membership.objects.create(user=user, organization=organization, team=team, role=role)
    return user


def build_world() -> World:
    customer = factories.OrganizationFactory(slug="globex", name="Globex", kind=OrganizationKind.CUSTOMER)
    provider = factories.OrganizationFactory(slug="northwind", name="Northwind", kind=OrganizationKind.PROVIDER)
    vendor = factories.OrganizationFactory(slug="hw-vendor", name="Hardware Vendor", kind=OrganizationKind.VENDOR)
    other_customer = factories.OrganizationFactory(slug="initech", name="Initech", kind=OrganizationKind.CUSTOMER)
    contract = factories.ContractFactory(customer=customer, provider=provider)
    contract.vendors.add(vendor)
    version = factories.ContractVersionFactory(contract=contract)
    other_contract = factories.ContractFactory(
        slug="initech-ito", title="Initech", customer=other_customer, provider=provider
    )
    factories.ContractVersionFactory(contract=other_contract)
    teams = {
        "desk": factories.TeamFactory(
            slug="service-desk", name="Service desk", organization=provider, is_service_desk=True
        ),
        "app-cn": factories.TeamFactory(
            slug="app-support-cn", name="Application support China", organization=provider, timezone="Asia/Shanghai"
        ),
        "security": factories.TeamFactory(slug="globex-security", name="Globex security", organization=customer),
        "hardware": factories.TeamFactory(slug="hw-onsite", name="Hardware on site", organization=vendor),
    }
    # Names and tiers come from the signed version's text (SAP ERP and single sign-on are tier 1).
    services = {
        key: factories.ServiceFactory(contract=contract, key=key, owning_team=teams["app-cn"])
        for key in ("sap-erp", "sso", "mes-asia", "hr-portal")
    }
    factories.ServiceFactory(contract=other_contract, key="sap-erp")
    RoutingRule.objects.create(contract=contract, team=teams["app-cn"], precedence=1000, description="default")
    RoutingRule.objects.create(contract=contract, service=services["sso"], team=teams["security"], precedence=10)
    RoutingRule.objects.create(contract=contract, category="hardware-onsite", team=teams["hardware"], precedence=5)
    world = World(customer, provider, vendor, other_customer, contract, version, other_contract, services, teams)
    world.people = {
        "requester": _person("requester", customer, Role.REQUESTER),
        "customer-manager": _person("customer-manager", customer, Role.CUSTOMER_MANAGER),
        "security-resolver": _person("security-resolver", customer, Role.RESOLVER, teams["security"]),
        "agent": _person("agent", provider, Role.AGENT, teams["desk"]),
        "resolver": _person("resolver", provider, Role.RESOLVER, teams["app-cn"]),
        "team-lead": _person("team-lead", provider, Role.TEAM_LEAD, teams["app-cn"]),
        "analyst": _person("analyst", provider, Role.REPORTING_ANALYST),
        "administrator": _person("administrator", provider, Role.ADMINISTRATOR),
        "vendor-engineer": _person("vendor-engineer", vendor, Role.RESOLVER, teams["hardware"]),
        "other-requester": _person("other-requester", other_customer, Role.REQUESTER),
        "other-manager": _person("other-manager", other_customer, Role.CUSTOMER_MANAGER),
        "no-role": factories.UserFactory(email="no-role@example.test", organization=customer),
    }
    return world


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Tests hash dozens of passwords; the production hasher is slow on purpose, tests need not be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached figures (queue counts, a person's priorities) are keyed by
    ids that the next test, its database rolled back, gives to other rows."""
    cache.clear()


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def requester(world) -> User:
    return world.people["requester"]


@pytest.fixture
def agent(world) -> User:
    return world.people["agent"]


@pytest.fixture
def resolver(world) -> User:
    return world.people["resolver"]


@pytest.fixture
def vendor_engineer(world) -> User:
    return world.people["vendor-engineer"]
