"""Two-factor authentication (django-otp): an authenticator app (TOTP) with backup codes, per person.

Who needs a second factor: whoever has set one up, and, when their organization requires it
(``Organization.require_two_factor``), everyone of it who holds a role other than requester. Such a
person's session, after the password, reaches no page but the verification (or, with no factor yet,
the enrolment) until a code is given; the API does not accept the session until then.

Single sign-on: a session opened by the identity provider counts as verified when the provider vouches
for a second factor in the ID token (``amr`` holds one of ``SERVICEPACT_OIDC_SECOND_FACTOR_AMR``, or
``acr`` is one of ``SERVICEPACT_OIDC_SECOND_FACTOR_ACR``). The single sign-on login calls
``accept_identity_provider_second_factor(request, claims)`` right after ``django.contrib.auth.login``;
when the provider does not vouch, the person confirms with their own factor here, as after a password.

The enrolment keeps the new secret in the session until the person proves, with a first code, that their
app holds it; only then is the device stored, confirmed, with ten single-use backup codes.
"""

import re
import secrets
from base64 import b32encode
from binascii import unhexlify
from collections.abc import Mapping
from urllib.parse import quote, urlencode

import django_otp
import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from servicepact.accounts.models import Role, User
from servicepact.permissions import principal_of
from servicepact.refusals import ActionRefused

# The session keys: the secret being enrolled, and the user a single sign-on vouched for.
ENROLMENT_SESSION_KEY = "servicepact_totp_enrolment"
IDENTITY_PROVIDER_SESSION_KEY = "servicepact_second_factor_by_identity_provider"
BACKUP_CODE_COUNT = 10
TOTP_DIGITS = 6
# A code the person types: six digits (an app's), or a backup code (letters and digits, any spacing).
SEPARATORS = re.compile(r"[\s-]+")


# -- who needs it --------------------------------------------------------------------------------------------


def second_factor_required(user) -> bool:
    """Whether the person's organization requires a second factor of them: a role other than requester."""
    organization = user.organization
    if organization is None or not organization.require_two_factor:
        return False
    return bool(principal_of(user).roles - {Role.REQUESTER})


def needs_second_factor(user) -> bool:
    return user.two_factor_enabled or second_factor_required(user)


def session_is_verified(request: HttpRequest) -> bool:
    """Whether the signed-in person of ``request`` has given all their sign-in needs: always true for
    someone who needs no second factor."""
    user = request.user
    if not user.is_authenticated or not needs_second_factor(user):
        return True
    if getattr(user, "is_verified", lambda: False)():
        return True
    return request.session.get(IDENTITY_PROVIDER_SESSION_KEY) == user.pk


# -- single sign-on ------------------------------------------------------------------------------------------


def identity_provider_vouches(claims: Mapping) -> bool:
    """Whether an ID token's claims say that the identity provider checked a second factor."""
    methods = claims.get("amr") or []
    if isinstance(methods, str):
        methods = [methods]
    accepted = set(settings.SERVICEPACT_OIDC_SECOND_FACTOR_AMR)
    return bool(accepted & set(methods)) or claims.get("acr") in set(settings.SERVICEPACT_OIDC_SECOND_FACTOR_ACR)


def accept_identity_provider_second_factor(request: HttpRequest, claims: Mapping) -> bool:
    """Called by the single sign-on login after it logged the person in: the session counts as verified
    when the provider vouches for a second factor. Returns whether it did."""
    if not request.user.is_authenticated or not identity_provider_vouches(claims):
        return False
    request.session[IDENTITY_PROVIDER_SESSION_KEY] = request.user.pk
    return True


# -- enrolment -----------------------------------------------------------------------------------------------


def enrolment_secret(request: HttpRequest) -> str:
    """The secret (hex) being enrolled in this session; a new one the first time."""
    secret = request.session.get(ENROLMENT_SESSION_KEY)
    if not secret:
        secret = request.session[ENROLMENT_SESSION_KEY] = random_hex(20)
    return secret


def readable_secret(secret: str) -> str:
    """The secret as the apps take it when typed: base32, in groups of four."""
    text = b32encode(unhexlify(secret)).decode()
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// URI that an authenticator app reads from the QR code."""
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    label = quote(f"{issuer}:{user.get_username()}")
    query = urlencode(
        {"secret": b32encode(unhexlify(secret)).decode(), "algorithm": "SHA1", "digits": TOTP_DIGITS, "period": 30}
    )
    return f"otpauth://totp/{label}?{query}&issuer={quote(issuer)}"


def qr_code_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG markup, drawn here: no image service, no script."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, border=2, dark="#1f2937", light="#ffffff", omitsize=True, title=_("QR code for your authenticator app")
    )


def _code(text: str) -> str:
    return SEPARATORS.sub("", text or "").lower()


def _totp_matches(secret: str, code: str) -> bool:
    if not code.isdigit() or len(code) != TOTP_DIGITS:
        return False
    totp = TOTP(unhexlify(secret), digits=TOTP_DIGITS)
    return totp.verify(int(code), tolerance=1)


def confirm_authenticator(request: HttpRequest, *, actor: User, code: str) -> list[str]:
    """Store the authenticator being enrolled in this session once ``code`` shows that the app holds its
    secret; replaces an earlier authenticator, issues new backup codes (returned, shown once) and counts
    the session as verified."""
    if not actor.is_authenticated or request.user.pk != actor.pk:
        raise PermissionDenied("Only the person themselves enrols their authenticator.")
    secret = request.session.get(ENROLMENT_SESSION_KEY)
    if not secret:
        raise ActionRefused(_("Start again: the enrolment has expired."), errors={"code": [_("Start again.")]})
    if not _totp_matches(secret, _code(code)):
        raise ActionRefused(
            _("That code does not match."), errors={"code": [_("Type the six digits your app shows now.")]}
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        # The code just typed counts as used: the sign-in that follows needs the app's next one (or a backup code).
        device = TOTPDevice.objects.create(
            user=actor,
            name=_("Authenticator app"),
            key=secret,
            confirmed=True,
            digits=TOTP_DIGITS,
            last_t=TOTP(unhexlify(secret), digits=TOTP_DIGITS).t(),
        )
        codes = _issue_backup_codes(actor)
        User.objects.filter(pk=actor.pk).update(two_factor_enabled=True)
    actor.two_factor_enabled = True
    del request.session[ENROLMENT_SESSION_KEY]
    django_otp.login(request, device)
    return codes


def _issue_backup_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def new_backup_codes(*, actor: User) -> list[str]:
    """Replace the person's backup codes with new ones (returned, shown once); the old ones stop working."""
    if not actor.two_factor_enabled:
        raise ActionRefused(_("Set up an authenticator first."), errors={"__all__": [_("No second factor yet.")]})
    with transaction.atomic():
        return _issue_backup_codes(actor)


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def forget_second_factors(person: User) -> None:
    """Remove every second factor of ``person`` (the caller checks who may)."""
    for device in django_otp.devices_for_user(person, confirmed=None):
        device.delete()
    User.objects.filter(pk=person.pk).update(two_factor_enabled=False)
    person.two_factor_enabled = False


def remove_two_factor(*, actor: User) -> None:
    """The person turns two-factor authentication off, unless their organization requires it."""
    if second_factor_required(actor):
        raise ActionRefused(
            _("Your organization requires two-factor authentication."),
            errors={"__all__": [_("Your organization requires two-factor authentication.")]},
        )
    with transaction.atomic():
        forget_second_factors(actor)


# -- at sign-in ----------------------------------------------------------------------------------------------


def verify_sign_in(request: HttpRequest, code: str) -> bool:
    """Check ``code`` (an app's six digits or a backup code) for the signed-in person; on success the
    session counts as verified. Each device throttles its own failures (django-otp)."""
    user = request.user
    code = _code(code)
    if not code:
        return False
    kinds = (TOTPDevice,) if code.isdigit() and len(code) == TOTP_DIGITS else (StaticDevice,)
    for device in django_otp.devices_for_user(user, confirmed=True):
        if isinstance(device, kinds):
            verified = django_otp.verify_token(user, device.persistent_id, code)
            if verified is not None:
                django_otp.login(request, verified)
                return True
    return False
