"""Contracts and their versions (read): the YAML text, its SHA-256 and who signed when.

Other vendors and requesters see that a contract exists and its services, not its text: the text holds
the commercials (the monthly fee and the service credits).
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from servicepact.api_permissions import allow, holds_a_role, on_object
from servicepact.contracts.models import Contract
from servicepact.contracts.queries import reads_contract_text, visible_contracts, visible_versions
from servicepact.permissions import principal_of

router = Router(tags=["contracts"])


class ServiceOut(Schema):
    key: str
    name: str
    tier: int
    owning_team: str | None = Field(None, alias="owning_team.slug")


class ContractOut(Schema):
    slug: str
    title: str
    customer: str = Field(..., alias="customer.slug")
    provider: str = Field(..., alias="provider.slug")


class ContractDetailOut(ContractOut):
    services: list[ServiceOut] = Field(..., alias="service_list")
    versions: list[int] = Field(..., alias="version_numbers", description="The contract's version numbers, newest first.")


class VersionOut(Schema):
    contract: str = Field(..., alias="contract.slug")
    number: int
    status: str
    sha256: str
    effective_from: date
    effective_to: date | None
    customer_signed_by: str | None = Field(None, alias="customer_signed_by.email")
    customer_signed_at: datetime | None
    provider_signed_by: str | None = Field(None, alias="provider_signed_by.email")
    provider_signed_at: datetime | None


class VersionTextOut(VersionOut):
    source: str = Field(..., description="The contract text (YAML), byte for byte what was signed.")


def visible_contract(request: HttpRequest, slug: str) -> Contract:
    return get_object_or_404(visible_contracts(request.auth).select_related("customer", "provider"), slug=slug)


def reads_text(user, contract: Contract) -> bool:
    return reads_contract_text(principal_of(user), contract)


def on_contract(rule, description: str):
    """The handler takes ``contract``; the route's path has ``{slug}``."""
    return on_object("slug", "contract", visible_contract, rule, description)


@router.get("/contracts", response=list[ContractOut], summary="Contracts you are a party to",
            operation_id="list_contracts")
@allow(holds_a_role, "Anyone with a role in a party of the contract (customer, provider, other vendor).")
def list_contracts(request: HttpRequest):
    return visible_contracts(request.auth).select_related("customer", "provider")


@router.get("/contracts/{slug}", response=ContractDetailOut, summary="Get a contract", operation_id="get_contract")
@on_contract(None, "Anyone with a role in a party of the contract.")
def get_contract(request: HttpRequest, contract: Contract):
    contract.service_list = list(contract.services.select_related("owning_team"))
    contract.version_numbers = list(contract.versions.order_by("-number").values_list("number", flat=True))
    return contract


@router.get("/contracts/{slug}/versions", response=list[VersionOut], summary="A contract's versions",
            operation_id="list_contract_versions")
@on_contract(None, "Anyone with a role in a party of the contract.")
def list_contract_versions(request: HttpRequest, contract: Contract):
    return (visible_versions(request.auth).filter(contract=contract)
            .select_related("contract", "customer_signed_by", "provider_signed_by").order_by("-number"))


@router.get("/contracts/{slug}/versions/{number}", response=VersionTextOut, summary="A contract version's text",
            operation_id="get_contract_version")
@on_contract(reads_text, "The customer's and the provider's managers, analysts, administrators, agents and team leads.")
def get_contract_version(request: HttpRequest, contract: Contract, number: int):
    versions = visible_versions(request.auth).select_related("contract", "customer_signed_by", "provider_signed_by")
    return get_object_or_404(versions, contract=contract, number=number)
