"""Loads the demonstration's world: organizations, teams, people, the signed contract and its catalogue."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction

from servicepact.accounts.models import Membership, Organization, Team, User
from servicepact.contracts import actions as contract_actions
from servicepact.contracts.models import Category, Contract, ContractVersion, Service
from servicepact.demo import cast, catalogue
from servicepact.demo.billing import billed_source
from servicepact.demo.changes import changes_source
from servicepact.demo.outages import availability_source
from servicepact.demo.satisfaction import satisfaction_source
from servicepact.desk.models import RoutingRule
from servicepact.sla.contract import load_contract
from servicepact.sla.contract_model import Contract as KernelContract

CONTRACT_FILE = Path(__file__).resolve().parent.parent / "contracts" / "examples" / "globex-ito.yaml"


@dataclass
class Scenario:
    organizations: dict[str, Organization]
    teams: dict[str, Team]
    people: dict[str, User]
    contract: Contract
    version: ContractVersion
    services: dict[str, Service] = field(default_factory=dict)


def _organizations() -> dict[str, Organization]:
    return {
        spec.slug: Organization.objects.create(slug=spec.slug, name=spec.name, kind=spec.kind, timezone=spec.timezone)
        for spec in cast.ORGANIZATIONS
    }


def _teams(organizations: dict[str, Organization]) -> dict[str, Team]:
    return {
        spec.slug: Team.objects.create(
            slug=spec.slug,
            name=spec.name,
            organization=organizations[spec.organization],
            timezone=spec.timezone,
            is_service_desk=spec.is_service_desk,
            email=f"{spec.slug}@{spec.organization}.example",
        )
        for spec in cast.TEAMS
    }


def _people(organizations: dict[str, Organization], teams: dict[str, Team]) -> dict[str, User]:
    people = {}
    # One hash for the one shared password: a strong password hash costs about a second to compute.
    password = make_password(cast.PASSWORD)
    for spec in cast.PEOPLE:
        organization = organizations[spec.organization]
        person = User.objects.create(
            email=spec.email,
            password=password,
            full_name=spec.full_name,
            organization=organization,
            timezone=spec.timezone,
            language=spec.language,
        )
        team = teams[spec.team] if spec.team else None
        Membership.objects.create(user=person, organization=organization, team=team, role=spec.role)
        people[spec.key] = person
    return people


def _contract(
    organizations: dict[str, Organization], people: dict[str, User], signed_at: datetime
) -> tuple[Contract, ContractVersion]:
    contract = Contract.objects.create(
        slug="globex-ito",
        title="Globex application maintenance, Europe and Asia",
        customer=organizations["globex"],
        provider=organizations["northwind"],
    )
    contract.vendors.add(organizations["kestrel"])
    version = contract_actions.register_version(
        contract,
        actor=people["administrator"],
        source=changes_source(billed_source(satisfaction_source(availability_source(CONTRACT_FILE.read_text())))),
        at=signed_at,
    )
    contract_actions.sign_version(version, actor=people["customer-manager"], at=signed_at)
    version = contract_actions.sign_version(version, actor=people["administrator"], at=signed_at)
    return contract, version


def _catalogue(contract: Contract, teams: dict[str, Team]) -> dict[str, Service]:
    # Signing the contract text made its services; the owning teams are the parties' business.
    services = {service.key: service for service in contract.services.all()}
    for spec in catalogue.SERVICES:
        services[spec.key].owning_team = teams[spec.owning_team]
        services[spec.key].save(update_fields=["owning_team"])
    Category.objects.bulk_create(Category(contract=contract, key=key, name=name) for key, name in catalogue.CATEGORIES)
    RoutingRule.objects.bulk_create(
        RoutingRule(
            contract=contract,
            precedence=route.precedence,
            description=route.description,
            service=services[route.service] if route.service else None,
            category=route.category,
            team=teams[route.team] if route.team else None,
            to_requester=route.to_requester,
        )
        for route in catalogue.ROUTES
    )
    return services


def reference_terms() -> KernelContract:
    """The reference contract as the SLA kernel reads it (for its effective dates, before loading)."""
    return load_contract(CONTRACT_FILE.read_text(), CONTRACT_FILE.name)


def has_data() -> bool:
    """Whether the database already holds a world (demo or real), which ``demo --if-empty`` leaves alone."""
    return Organization.objects.exists() or Contract.objects.exists()


@transaction.atomic
def load_scenario(*, signed_at: datetime) -> Scenario:
    organizations = _organizations()
    teams = _teams(organizations)
    people = _people(organizations, teams)
    contract, version = _contract(organizations, people, signed_at)
    services = _catalogue(contract, teams)
    return Scenario(organizations, teams, people, contract, version, services)
