"""Passkeys (WebAuthn) as a second factor, beside the authenticator app: django-otp-webauthn does the
ceremonies and the cryptography; this module fits it to servicepact.

- The relying party is the host people reach the service at (``SERVICEPACT_WEBAUTHN_RP_ID`` when a
  proxy or several host names are in front), and the accepted origins are ``SERVICEPACT_WEBAUTHN_ORIGINS``
  or, when that is empty, the origin of the request itself (its host already checked by ALLOWED_HOSTS,
  its scheme by the proxy's header when one is configured).
- A passkey is a second factor only, never a way in on its own: the password (and the lockout before
  it) or single sign-on comes first.
- Registering a passkey turns two-factor authentication on for the person, as enrolling an app does.
"""

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from servicepact.accounts import two_factor
from servicepact.accounts.models import User
from servicepact.refusals import ActionRefused


def relying_party_id(request: HttpRequest) -> str:
    return settings.SERVICEPACT_WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0].strip("[]")


class PasskeyHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        configured = settings.SERVICEPACT_WEBAUTHN_ORIGINS
        if configured:
            return list(configured)
        return [f"{self.request.scheme}://{self.request.get_host()}"]


def passkeys_of(user: User) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at"))


def has_passkey(user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def passkey_registered(*, actor: User) -> None:
    """After the person registered a passkey: their sign-ins now ask for a second factor."""
    if not actor.two_factor_enabled:
        User.objects.filter(pk=actor.pk).update(two_factor_enabled=True)
        actor.two_factor_enabled = True


def remove_passkey(*, actor: User, passkey_id: int) -> None:
    """The person removes one of their passkeys. The last second factor of someone whose organization
    requires one stays: they replace it first."""
    with transaction.atomic():
        passkey = WebAuthnCredential.objects.select_for_update().filter(pk=passkey_id).first()
        if passkey is None or passkey.user_id != actor.pk:
            raise Http404("No such passkey of yours.")
        others = has_passkey_besides(actor, passkey) or two_factor.has_authenticator(actor)
        if not others and two_factor.second_factor_required(actor):
            required = _("Your organization requires two-factor authentication.")
            raise ActionRefused(required, errors={"__all__": [required]})
        passkey.delete()
        if not others:
            two_factor.forget_second_factors(actor)


def has_passkey_besides(user: User, passkey: WebAuthnCredential) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(pk=passkey.pk).exists()
