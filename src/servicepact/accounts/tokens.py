"""Personal API tokens: created with a secret shown once, stored as its SHA-256, revoked by their owner."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from servicepact.accounts.models import ApiToken, User
from servicepact.accounts.models.token import hash_token
from servicepact.permissions.administration import can_revoke_token
from servicepact.refusals import ActionRefused

NAME_MAX = 100
# Enough characters of the secret to recognise it in a list, too few to guess the rest.
HINT_LENGTH = 8


def create_token(*, actor: User, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token of ``actor`` and its secret, which is not stored and cannot be shown again."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("Only an active, signed-in person may create a token.")
    name = name.strip()
    if not name:
        raise ActionRefused("The token needs a name.", errors={"name": ["Give the token a name."]})
    if len(name) > NAME_MAX:
        raise ActionRefused("The name is too long.", errors={"name": [f"At most {NAME_MAX} characters."]})
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise ActionRefused("Invalid expiry.", errors={"expires_at": ["Give the instant with its offset."]})
        if expires_at <= timezone.now():
            raise ActionRefused("Invalid expiry.", errors={"expires_at": ["The expiry must lie in the future."]})
    secret = ApiToken.new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            key_hash=hash_token(secret),
            hint=secret[:HINT_LENGTH],
            expires_at=expires_at,
        )
    return token, secret


def revoke_token(token: ApiToken, *, actor: User) -> ApiToken:
    """Revoke ``token``: its owner, or an administrator of the owner's organization, may. Revoking twice is
    refused, so a client learns its mistake."""
    if not can_revoke_token(actor, token):
        raise PermissionDenied("Only the token's owner or their organization's administrators may revoke it.")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise ActionRefused("The token is already revoked.", errors={"token": ["Already revoked."]}, status=409)
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked
