"""Single sign-on by OpenID Connect, per organization, with mozilla-django-oidc.

The library reads its configuration from settings; here each reading comes from the identity provider
the person chose on the login page instead (``IdentityProvider``, its endpoints from the issuer's
discovery document). The flow is the authorization code flow with PKCE and a nonce; the ID token is kept
in the session for the provider's logout. A person found by the claimed e-mail address must belong to the
provider's organization; a new one is created only where the provider says so.
"""

import logging

import requests
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from servicepact.accounts.identity import Described, create_person, update_person
from servicepact.accounts.models import IdentityProvider, User
from servicepact.accounts.models.user import IdentitySource

logger = logging.getLogger(__name__)

SESSION_PROVIDER = "sso_provider"
SESSION_ID_TOKEN = "oidc_id_token"
SESSION_LOGOUT_ORIGIN = "sso_logout_origin"
CLAIMS_ATTRIBUTE = "sso_claims"
DISCOVERY_SECONDS = 3600
TIMEOUT_SECONDS = 10


class ProviderUnavailable(Exception):
    """The issuer's discovery document could not be read."""


def discovery(provider: IdentityProvider) -> dict:
    """The issuer's discovery document, cached for an hour; ProviderUnavailable when it cannot be read."""
    issuer = provider.issuer.rstrip("/")
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as problem:
            raise ProviderUnavailable(f"{issuer}: {problem}") from problem
        if document.get("issuer", "").rstrip("/") != issuer:
            raise ProviderUnavailable(f"{issuer}: the discovery document names issuer {document.get('issuer')!r}")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def provider_settings(provider: IdentityProvider) -> dict:
    """The library's settings for ``provider``."""
    document = discovery(provider)
    algorithms = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": document["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": document["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": document.get("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": document.get("jwks_uri"),
        "OIDC_OP_LOGOUT_ENDPOINT": document.get("end_session_endpoint"),
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider.client_secret,
        "OIDC_RP_SCOPES": provider.scopes,
        "OIDC_RP_SIGN_ALGO": "RS256" if "RS256" in algorithms else algorithms[0],
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_TOKEN_USE_BASIC_AUTH": bool(provider.client_secret),
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:sso_callback",
        "OIDC_CREATE_USER": provider.create_people,
        "LOGIN_REDIRECT_URL_FAILURE": "accounts:login",
    }


class ProviderSettingsMixin:
    """Reads the library's settings from the chosen provider, falling back to Django's settings."""

    provider: IdentityProvider | None = None

    def get_settings(self, attr, *args):
        if self.provider is not None:
            values = provider_settings(self.provider)
            if attr in values:
                return values[attr]
        return import_from_settings(attr, *args)


def chosen_provider(request: HttpRequest) -> IdentityProvider | None:
    pk = request.session.get(SESSION_PROVIDER)
    if pk is None:
        return None
    return IdentityProvider.objects.select_related("organization").filter(pk=pk, enabled=True).first()


def login_page_providers():
    """The enabled providers, for the login page's buttons: anyone may see which organizations sign in
    by single sign-on (they name no person)."""
    return IdentityProvider.objects.filter(enabled=True).select_related("organization")


def enabled_provider(slug: str) -> IdentityProvider | None:
    return IdentityProvider.objects.select_related("organization").filter(slug=slug, enabled=True).first()


def described_by(provider: IdentityProvider, claims: dict) -> Described:
    def claim(name: str) -> str:
        value = claims.get(name) if name else None
        return value if isinstance(value, str) else ""

    return Described(
        email=claim(provider.claim_email),
        external_id=claim("sub"),
        full_name=claim(provider.claim_name),
        language=claim(provider.claim_language),
        timezone=claim(provider.claim_timezone),
        department=claim(provider.claim_department),
    )


class IdentityProviderBackend(ProviderSettingsMixin, OIDCAuthenticationBackend):
    """Signs in the person the chosen provider vouches for; answers nothing to any other login."""

    def __init__(self, *args, **kwargs):
        self.UserModel = User

    def authenticate(self, request, **kwargs):
        if request is None or "code_verifier" not in kwargs:
            return None
        self.provider = chosen_provider(request)
        if self.provider is None:
            return None
        values = provider_settings(self.provider)
        self.OIDC_OP_TOKEN_ENDPOINT = values["OIDC_OP_TOKEN_ENDPOINT"]
        self.OIDC_OP_USER_ENDPOINT = values["OIDC_OP_USER_ENDPOINT"]
        self.OIDC_OP_JWKS_ENDPOINT = values["OIDC_OP_JWKS_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = values["OIDC_RP_CLIENT_ID"]
        self.OIDC_RP_CLIENT_SECRET = values["OIDC_RP_CLIENT_SECRET"]
        self.OIDC_RP_SIGN_ALGO = values["OIDC_RP_SIGN_ALGO"]
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The ID token's own claims (amr, acr) tell whether the provider vouches for a second factor.
        setattr(self.request, CLAIMS_ATTRIBUTE, payload)
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        return claims

    def verify_claims(self, claims):
        email = claims.get(self.provider.claim_email)
        return isinstance(email, str) and "@" in email and bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        email = claims[self.provider.claim_email].strip()
        found = User.objects.filter(email__iexact=email)
        strangers = found.exclude(organization_id=self.provider.organization_id)
        if strangers.exists():
            raise SuspiciousOperation(f"{email} belongs to another organization than {self.provider.slug}'s")
        return found

    def create_user(self, claims):
        provider = self.provider
        return create_person(
            provider.organization,
            described_by(provider, claims),
            source=IdentitySource.OIDC,
            role=provider.default_role,
        )

    def update_user(self, user, claims):
        return update_person(user, described_by(self.provider, claims))
