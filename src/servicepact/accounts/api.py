"""Organizations, teams and people (read, restricted to whom you work with) and personal API tokens."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from servicepact.accounts import tokens
from servicepact.accounts.models import ApiToken, Organization, Team, User
from servicepact.permissions.declared import allow, anyone_signed_in, holds_a_role
from servicepact.permissions.people import sees_contact_details
from servicepact.request_bodies import InputSchema

router = Router(tags=["accounts"])


class OrganizationOut(Schema):
    slug: str
    name: str
    kind: str
    timezone: str


class TeamOut(Schema):
    slug: str
    name: str
    organization: str = Field(..., alias="organization.slug")
    is_service_desk: bool
    timezone: str


class PersonOut(Schema):
    id: int
    full_name: str
    email: str | None = Field(
        ...,
        description="Empty (null) for a requester asking about a partner's staff: "
        "requesters see those who work their tickets by name only.",
    )
    organization: str | None = Field(None, alias="organization.slug")
    timezone: str

    @staticmethod
    def resolve_email(person: User, context) -> str | None:
        return person.email if sees_contact_details(context["request"].auth, person) else None


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    secret: str = Field(..., description="The token itself: shown this once, stored only as its hash.")


class TokenIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=tokens.NAME_MAX)
    expires_at: datetime | None = None


@router.get(
    "/organizations",
    response=list[OrganizationOut],
    summary="Organizations you work with",
    operation_id="list_organizations",
)
@allow(anyone_signed_in, "Anyone signed in; your own organization and those sharing a contract with it.")
def list_organizations(request: HttpRequest):
    return Organization.objects.visible_to(request.auth)


@router.get(
    "/teams", response=list[TeamOut], summary="Teams of the organizations you work with", operation_id="list_teams"
)
@allow(holds_a_role, "Anyone with a role; teams of the organizations they work with.")
def list_teams(request: HttpRequest):
    return Team.objects.visible_to(request.auth).select_related("organization")


@router.get("/teams/{slug}", response=TeamOut, summary="Get a team", operation_id="get_team")
@allow(holds_a_role, "Anyone with a role, for a team of an organization they work with.")
def get_team(request: HttpRequest, slug: str):
    return get_object_or_404(Team.objects.visible_to(request.auth).select_related("organization"), slug=slug)


@router.get(
    "/people", response=list[PersonOut], summary="People of the organizations you work with", operation_id="list_people"
)
@allow(
    holds_a_role,
    "Anyone with a role; vendors see only their own organization's people, requesters their own "
    "organization's and those who work their tickets (by name).",
)
def list_people(request: HttpRequest):
    return User.objects.visible_to(request.auth).select_related("organization")


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens", operation_id="list_tokens")
@allow(anyone_signed_in, "Anyone signed in; only their own tokens.")
def list_tokens(request: HttpRequest):
    return ApiToken.objects.visible_to(request.auth).filter(user=request.auth)


@router.post("/tokens", response={201: TokenCreated}, summary="Create an API token", operation_id="create_token")
@allow(anyone_signed_in, "Anyone signed in, for themselves.")
def create_token(request: HttpRequest, payload: TokenIn):
    """Send the secret as `Authorization: Bearer <secret>`; it is shown in this answer only."""
    token, secret = tokens.create_token(actor=request.auth, name=payload.name, expires_at=payload.expires_at)
    return Status(201, TokenCreated(secret=secret, **TokenOut.from_orm(token).model_dump()))


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke an API token", operation_id="revoke_token")
@allow(anyone_signed_in, "Anyone signed in, for their own tokens; others' tokens answer 404.")
def revoke_token(request: HttpRequest, token_id: int):
    token = get_object_or_404(ApiToken.objects.visible_to(request.auth), pk=token_id, user=request.auth)
    tokens.revoke_token(token, actor=request.auth)
    return Status(204, None)
