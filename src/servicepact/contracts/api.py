"""Contracts and their versions: the YAML text, its SHA-256, who signed when; registering and signing.

Other vendors and requesters see that a contract exists and its services, not its text: the text holds
the commercials (the monthly fee and the service credits). A version is registered as a draft from its
text (number and effective dates come from the text), reviewed as a diff against the previous signed
version, and signed by both parties; signed, it never changes.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from servicepact.contracts import actions
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract, ContractVersion, Service, attach_terms
from servicepact.contracts.review import review
from servicepact.idempotency.keys import idempotent
from servicepact.permissions import reads_contract_text
from servicepact.permissions.declared import allow, holds_a_role, on_object
from servicepact.request_bodies import InputSchema

router = Router(tags=["contracts"])

VERSION_RELATIONS = ("contract", "registered_by", "customer_signed_by", "provider_signed_by")


class ServiceOut(Schema):
    key: str
    name: str = Field(..., description="As the signed version in force names it.")
    tier: int | None = Field(
        ..., description="In the signed version in force; none when it no longer lists the service."
    )
    owning_team: str | None = Field(None, alias="owning_team.slug")


class ContractOut(Schema):
    slug: str
    title: str
    customer: str = Field(..., alias="customer.slug")
    provider: str = Field(..., alias="provider.slug")


class ContractDetailOut(ContractOut):
    services: list[ServiceOut] = Field(..., alias="service_list")
    versions: list[int] = Field(
        ..., alias="version_numbers", description="The contract's version numbers, newest first."
    )


class VersionOut(Schema):
    contract: str = Field(..., alias="contract.slug")
    number: int
    status: str
    sha256: str
    effective_from: date
    effective_to: date | None
    registered_by: str | None = Field(None, alias="registered_by.email")
    registered_at: datetime = Field(..., alias="created_at")
    customer_signed_by: str | None = Field(None, alias="customer_signed_by.email")
    customer_signed_at: datetime | None
    provider_signed_by: str | None = Field(None, alias="provider_signed_by.email")
    provider_signed_at: datetime | None


class VersionTextOut(VersionOut):
    source: str = Field(..., description="The contract text (YAML), byte for byte what was registered and signed.")


class VersionIn(InputSchema):
    source: str = Field(
        ...,
        max_length=actions.SOURCE_MAX,
        description="The contract text (YAML); its `version` and `effective` dates are the version's.",
    )


class SignatureIn(InputSchema):
    party: Literal["customer", "provider"] | None = Field(
        None, description="The party you sign for; by default your organization's side of the contract."
    )
    sha256: str | None = Field(
        None,
        pattern="^[0-9a-f]{64}$",
        description="The SHA-256 of the text you reviewed: refused (409) if the draft was replaced since.",
    )


class ChangeOut(Schema):
    clause: str
    item: str
    field: str = Field(..., description="Empty when the whole item was added or removed.")
    change: Literal["added", "removed", "changed"]
    old: str | None
    new: str | None


class PreviousOut(Schema):
    version: int
    sha256: str


class DiffOut(Schema):
    contract: str
    version: int
    sha256: str
    previous: PreviousOut | None = Field(..., description="The previous signed version; none for the first.")
    identical: bool
    changes: list[ChangeOut]


def contract_version(request: HttpRequest, contract: Contract, number: int) -> ContractVersion:
    versions = ContractVersion.objects.visible_to(request.auth).select_related(*VERSION_RELATIONS)
    return get_object_or_404(versions, contract=contract, number=number)


def reads_text(user, contract: Contract) -> bool:
    return reads_contract_text(user, contract)


def signs_for_a_party(user, contract: Contract) -> bool:
    return any(actions.can_sign(user, contract, party) for party in actions.PARTIES)


def on_contract(rule, description: str):
    """The handler takes ``contract``; the route's path has ``{slug}``."""
    return on_object("slug", "contract", visible_contract, rule, description)


@router.get(
    "/contracts", response=list[ContractOut], summary="Contracts you are a party to", operation_id="list_contracts"
)
@allow(holds_a_role, "Anyone with a role in a party of the contract (customer, provider, other vendor).")
def list_contracts(request: HttpRequest):
    return Contract.objects.visible_to(request.auth).select_related("customer", "provider")


@router.get("/contracts/{slug}", response=ContractDetailOut, summary="Get a contract", operation_id="get_contract")
@on_contract(None, "Anyone with a role in a party of the contract.")
def get_contract(request: HttpRequest, contract: Contract):
    contract.service_list = attach_terms(
        Service.objects.visible_to(request.auth).filter(contract=contract).select_related("owning_team").order_by("key")
    )
    contract.version_numbers = list(
        ContractVersion.objects.visible_to(request.auth)
        .filter(contract=contract)
        .order_by("-number")
        .values_list("number", flat=True)
    )
    return contract


@router.get(
    "/contracts/{slug}/versions",
    response=list[VersionOut],
    summary="A contract's versions",
    operation_id="list_contract_versions",
)
@on_contract(None, "Anyone with a role in a party of the contract.")
def list_contract_versions(request: HttpRequest, contract: Contract):
    return (
        ContractVersion.objects.visible_to(request.auth)
        .filter(contract=contract)
        .defer("source")
        .select_related(*VERSION_RELATIONS)
        .order_by("-number")
    )


@router.post(
    "/contracts/{slug}/versions",
    response={201: VersionTextOut},
    summary="Register a version's text",
    operation_id="register_contract_version",
)
@on_contract(
    actions.can_register_version, "Either party's administrators and the customer's managers (can_register_version)."
)
@idempotent
def register_contract_version(request: HttpRequest, contract: Contract, payload: VersionIn):
    """A draft from the YAML text, numbered and dated by the text; a draft of the same number is replaced.

    A text the contract language refuses is answered 422 with every problem under `source`, each as
    `FILE:LINE:COLUMN: message`. A signed number is never replaced (409).
    """
    version = actions.register_version(contract, actor=request.auth, source=payload.source)
    return Status(
        201, ContractVersion.objects.visible_to(request.auth).select_related(*VERSION_RELATIONS).get(pk=version.pk)
    )


@router.get(
    "/contracts/{slug}/versions/{number}",
    response=VersionTextOut,
    summary="A contract version's text",
    operation_id="get_contract_version",
)
@on_contract(reads_text, "The customer's and the provider's managers, analysts, administrators, agents and team leads.")
def get_contract_version(request: HttpRequest, contract: Contract, number: int):
    return contract_version(request, contract, number)


@router.get(
    "/contracts/{slug}/versions/{number}/diff",
    response=DiffOut,
    summary="A version's changes since the previous signed version",
    operation_id="diff_contract_version",
)
@on_contract(
    reads_text,
    "Those who read the text: the customer's and the provider's managers, analysts, "
    "administrators, agents and team leads.",
)
def diff_contract_version(request: HttpRequest, contract: Contract, number: int):
    """Clause by clause, as `servicepact contract diff` prints it: what a signer agrees to."""
    return review(contract_version(request, contract, number)).as_json()


@router.post(
    "/contracts/{slug}/versions/{number}/signatures",
    response=VersionOut,
    summary="Sign a version",
    operation_id="sign_contract_version",
)
@on_contract(
    signs_for_a_party,
    "For the customer: its managers and administrators; for the provider: its administrators (can_sign).",
)
def sign_contract_version(request: HttpRequest, contract: Contract, number: int, payload: SignatureIn):
    """Sign for one party; once both have signed, the version is signed and never changes.

    Give `sha256` of the text you reviewed so that a draft replaced meanwhile is not signed unseen.
    """
    version = contract_version(request, contract, number)
    signed = actions.sign_version(version, actor=request.auth, party=payload.party, sha256=payload.sha256)
    return (
        ContractVersion.objects.visible_to(request.auth)
        .select_related(*VERSION_RELATIONS)
        .defer("source")
        .get(pk=signed.pk)
    )
