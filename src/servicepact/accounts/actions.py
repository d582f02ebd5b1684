"""An organization's administration: its people, their roles, its teams, sign-in help and settings.

Every function is one write by an administrator of the organization concerned (keyword-only ``actor``),
checked against the access layer's predicates, in one transaction, with an administration record. An
organization keeps at least one active administrator: the last one can neither be deactivated nor lose
the role.
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from servicepact.accounts import lockout, tokens, two_factor
from servicepact.accounts.models import (
    AdministrationAction,
    AdministrationRecord,
    ApiToken,
    DirectorySource,
    IdentityProvider,
    Membership,
    Organization,
    Role,
    Team,
    User,
)
from servicepact.accounts.models.user import IdentitySource
from servicepact.permissions import COUNTED_MEMBERSHIPS
from servicepact.permissions.administration import (
    administers_organization,
    can_administer_person,
    can_administer_team,
)
from servicepact.refusals import ActionRefused


def record(organization: Organization, *, actor: User, action: str, subject: str, **detail) -> AdministrationRecord:
    return AdministrationRecord.objects.create(
        organization=organization, actor=actor, action=action, subject=subject[:300], detail=detail
    )


def _refuse(message: str, field: str = "__all__", status: int = 422) -> None:
    raise ActionRefused(message, errors={field: [message]}, status=status)


def _require_administrator(actor: User) -> Organization:
    if not administers_organization(actor):
        raise PermissionDenied("Only an administrator of the organization may do this.")
    return actor.organization


def _require_person(actor: User, person: User) -> None:
    if not can_administer_person(actor, person):
        raise PermissionDenied("Only an administrator of the person's organization may do this.")


def _active_administrators(organization: Organization):
    return User.objects.filter(
        organization=organization,
        is_active=True,
        memberships__role=Role.ADMINISTRATOR,
        memberships__organization=organization,
    ).distinct()


def _team_of(organization: Organization, team: Team | None) -> Team | None:
    if team is not None and team.organization_id != organization.pk:
        _refuse(_("The team %(team)s is not one of your organization's.") % {"team": team.name}, "team")
    return team


# -- people --------------------------------------------------------------------------------------------------


def create_person(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    team: Team | None = None,
    timezone: str = "",
    language: str = "en",
    identity_source: str = IdentitySource.LOCAL,
) -> User:
    """A new person of the administrator's organization with one role (optionally in one of its teams).

    A local account gets no password: the administrator hands over a set-password link
    (``password_link``). A person signing in by single sign-on needs none.
    """
    organization = _require_administrator(actor)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        _refuse(_("Enter a valid e-mail address."), "email")
    if User.objects.filter(email=email).exists():
        _refuse(_("%(email)s already has an account.") % {"email": email}, "email", 409)
    if role not in Role.values:
        _refuse(_("Choose a role."), "role")
    team = _team_of(organization, team)
    with transaction.atomic():
        person = User.objects.create_user(
            email,
            None,
            full_name=(full_name or "").strip(),
            organization=organization,
            timezone=timezone or organization.timezone,
            language=language,
            identity_source=identity_source,
        )
        Membership.objects.create(user=person, organization=organization, team=team, role=role)
        record(
            organization,
            actor=actor,
            action=AdministrationAction.PERSON_CREATED,
            subject=str(person),
            email=email,
            role=role,
            team=team.slug if team else None,
        )
    return person


def update_person(
    person: User,
    *,
    actor: User,
    full_name: str,
    phone: str,
    timezone: str,
    language: str,
    identity_source: str,
    external_id: str,
) -> User:
    _require_person(actor, person)
    changes = {
        "full_name": full_name.strip(),
        "phone": phone.strip(),
        "timezone": timezone,
        "language": language,
        "identity_source": identity_source,
        "external_id": external_id.strip(),
    }
    changed = {field: value for field, value in changes.items() if getattr(person, field) != value}
    if not changed:
        return person
    with transaction.atomic():
        for field, value in changed.items():
            setattr(person, field, value)
        person.full_clean(validate_unique=False, exclude=["password"])
        person.save(update_fields=list(changed))
        record(
            person.organization,
            actor=actor,
            action=AdministrationAction.PERSON_CHANGED,
            subject=str(person),
            fields=sorted(changed),
        )
    return person


def deactivate_person(person: User, *, actor: User) -> User:
    """The person can no longer sign in, and their API tokens stop working; their history stays theirs."""
    _require_person(actor, person)
    if person.pk == actor.pk:
        _refuse(_("You cannot deactivate yourself."), status=409)
    if not person.is_active:
        _refuse(_("%(person)s is already deactivated.") % {"person": person}, status=409)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        record(person.organization, actor=actor, action=AdministrationAction.PERSON_DEACTIVATED, subject=str(person))
    return locked


def reactivate_person(person: User, *, actor: User) -> User:
    _require_person(actor, person)
    if person.is_active:
        _refuse(_("%(person)s is active.") % {"person": person}, status=409)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        record(person.organization, actor=actor, action=AdministrationAction.PERSON_REACTIVATED, subject=str(person))
    return locked


def password_link(person: User, *, actor: User) -> str:
    """A link (path) with which the person sets a new password; valid until it is used, the password
    changes otherwise, or PASSWORD_RESET_TIMEOUT passes. Shown to the administrator to hand over."""
    _require_person(actor, person)
    if not person.is_active:
        _refuse(_("Reactivate %(person)s first.") % {"person": person}, status=409)
    with transaction.atomic():
        record(person.organization, actor=actor, action=AdministrationAction.PASSWORD_LINK, subject=str(person))
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return reverse("accounts:set_password", args=[uid, default_token_generator.make_token(person)])


def unlock_sign_in(person: User, *, actor: User) -> int:
    """Forget the failed logins counted against the person's account (django-axes)."""
    _require_person(actor, person)
    with transaction.atomic():
        cleared = lockout.clear_failed_logins(person.email)
        record(person.organization, actor=actor, action=AdministrationAction.SIGN_IN_UNLOCKED, subject=str(person))
    return cleared


def reset_two_factor(person: User, *, actor: User) -> None:
    """Remove the person's second factors (a lost phone): they enrol again at their next sign-in when
    their organization requires it."""
    _require_person(actor, person)
    if person.pk == actor.pk:
        _refuse(_("Manage your own second factor on your two-factor page."), status=409)
    with transaction.atomic():
        two_factor.forget_second_factors(person)
        record(person.organization, actor=actor, action=AdministrationAction.TWO_FACTOR_RESET, subject=str(person))


# -- roles ---------------------------------------------------------------------------------------------------


def give_role(person: User, *, actor: User, role: str, team: Team | None = None) -> Membership:
    _require_person(actor, person)
    organization = person.organization
    if role not in Role.values:
        _refuse(_("Choose a role."), "role")
    team = _team_of(organization, team)
    if Membership.objects.filter(user=person, organization=organization, team=team, role=role).exists():
        _refuse(_("%(person)s already has this role.") % {"person": person}, "role", 409)
    with transaction.atomic():
        membership = Membership.objects.create(user=person, organization=organization, team=team, role=role)
        record(
            organization,
            actor=actor,
            action=AdministrationAction.ROLE_GIVEN,
            subject=str(person),
            role=role,
            team=team.slug if team else None,
        )
    return membership


def remove_role(membership: Membership, *, actor: User) -> None:
    person = membership.user
    _require_person(actor, person)
    if membership.organization_id != person.organization_id:
        raise PermissionDenied("Only memberships in the person's own organization are administered here.")
    organization = person.organization
    with transaction.atomic():
        if membership.role == Role.ADMINISTRATOR and person.is_active:
            others = _active_administrators(organization).exclude(pk=person.pk)
            still = Membership.objects.filter(COUNTED_MEMBERSHIPS, user=person, role=Role.ADMINISTRATOR).exclude(
                pk=membership.pk
            )
            if not others.exists() and not still.exists():
                _refuse(_("The organization keeps at least one administrator."), status=409)
        record(
            organization,
            actor=actor,
            action=AdministrationAction.ROLE_REMOVED,
            subject=str(person),
            role=membership.role,
            team=membership.team.slug if membership.team else None,
        )
        membership.delete()


# -- teams ---------------------------------------------------------------------------------------------------


def create_team(
    *, actor: User, name: str, slug: str = "", timezone: str = "", email: str = "", is_service_desk: bool = False
) -> Team:
    organization = _require_administrator(actor)
    name = (name or "").strip()
    if not name:
        _refuse(_("Give the team a name."), "name")
    slug = slugify(slug or name)[:64]
    if not slug:
        _refuse(_("Give the team a short name of letters, digits and hyphens."), "slug")
    if Team.objects.filter(slug=slug).exists():
        _refuse(_("The short name %(slug)s is taken.") % {"slug": slug}, "slug", 409)
    with transaction.atomic():
        team = Team(
            organization=organization,
            name=name,
            slug=slug,
            timezone=timezone or organization.timezone,
            email=(email or "").strip(),
            is_service_desk=is_service_desk,
        )
        team.full_clean()
        team.save()
        record(organization, actor=actor, action=AdministrationAction.TEAM_CREATED, subject=team.name, slug=slug)
    return team


def update_team(team: Team, *, actor: User, name: str, timezone: str, email: str, is_service_desk: bool) -> Team:
    if not can_administer_team(actor, team):
        raise PermissionDenied("Only an administrator of the team's organization may change it.")
    changes = {
        "name": (name or "").strip(),
        "timezone": timezone,
        "email": (email or "").strip(),
        "is_service_desk": is_service_desk,
    }
    if not changes["name"]:
        _refuse(_("Give the team a name."), "name")
    changed = {field: value for field, value in changes.items() if getattr(team, field) != value}
    if not changed:
        return team
    with transaction.atomic():
        for field, value in changed.items():
            setattr(team, field, value)
        team.full_clean(validate_unique=False)
        team.save(update_fields=list(changed))
        record(
            team.organization,
            actor=actor,
            action=AdministrationAction.TEAM_CHANGED,
            subject=team.name,
            fields=sorted(changed),
        )
    return team


# -- tokens and settings -------------------------------------------------------------------------------------


def revoke_person_token(token: ApiToken, *, actor: User) -> ApiToken:
    """An administrator revokes a token of one of their organization's people (``tokens.revoke_token``
    checks who may), with an administration record when it is not their own."""
    with transaction.atomic():
        revoked = tokens.revoke_token(token, actor=actor)
        if token.user_id != actor.pk:
            record(
                token.user.organization,
                actor=actor,
                action=AdministrationAction.TOKEN_REVOKED,
                subject=f"{token.name} ({token.user})",
            )
    return revoked


def change_settings(
    organization: Organization,
    *,
    actor: User,
    require_two_factor: bool,
    require_single_sign_on: bool | None = None,
) -> Organization:
    if _require_administrator(actor).pk != organization.pk:
        raise PermissionDenied("Only the organization's administrators may change its settings.")
    if require_single_sign_on is None:
        require_single_sign_on = organization.require_single_sign_on
    changed = {
        field: value
        for field, value in (
            ("require_two_factor", require_two_factor),
            ("require_single_sign_on", require_single_sign_on),
        )
        if getattr(organization, field) != value
    }
    if not changed:
        return organization
    if changed.get("require_single_sign_on") and not organization.identity_providers.filter(enabled=True).exists():
        _refuse(
            _("Single sign-on cannot be required before the organization has an identity provider."),
            "require_single_sign_on",
        )
    with transaction.atomic():
        for field, value in changed.items():
            setattr(organization, field, value)
        organization.save(update_fields=list(changed))
        record(
            organization,
            actor=actor,
            action=AdministrationAction.SETTINGS_CHANGED,
            subject=organization.name,
            **changed,
        )
    return organization


# -- sign-in: identity providers and directories ---------------------------------------------------------------


def _changed_fields(instance, saved) -> list[str]:
    if saved is None:
        return []
    return [
        field.name
        for field in instance._meta.concrete_fields
        if field.name not in ("id",) and getattr(instance, field.attname) != getattr(saved, field.attname)
    ]


def _save_sign_in_setting(instance, *, actor: User, secret_field: str, secret: str, added: str, changed: str):
    """Saves an organization's identity provider or directory (``instance``, filled in by its form), keeping
    the saved secret when none is given."""
    organization = _require_administrator(actor)
    if instance.pk is None:
        instance.organization = organization
        saved = None
    else:
        if instance.organization_id != organization.pk:
            raise PermissionDenied("Only the organization's administrators may change its sign-in settings.")
        saved = type(instance).objects.get(pk=instance.pk)
    setattr(instance, secret_field, secret if secret else (getattr(saved, secret_field) if saved else ""))
    fields = _changed_fields(instance, saved)
    if saved is not None and not fields:
        return instance
    with transaction.atomic():
        instance.save()
        record(
            organization,
            actor=actor,
            action=added if saved is None else changed,
            subject=instance.name,
            changed=fields,
            secret_replaced=bool(secret) and saved is not None,
        )
    return instance


def save_identity_provider(provider: IdentityProvider, *, actor: User, client_secret: str = "") -> IdentityProvider:
    """Adds or changes one of the actor's organization's OpenID Connect providers; the last enabled one of an
    organization that requires single sign-on stays enabled (nobody could sign in otherwise)."""
    organization = _require_administrator(actor)
    others_enabled = IdentityProvider.objects.filter(organization=organization, enabled=True).exclude(pk=provider.pk)
    if not provider.enabled and organization.require_single_sign_on and not others_enabled.exists():
        _refuse(
            _(
                "Your organization requires single sign-on and this is its only enabled identity provider: "
                "stop requiring single sign-on first."
            ),
            "enabled",
        )
    return _save_sign_in_setting(
        provider,
        actor=actor,
        secret_field="client_secret",
        secret=client_secret,
        added=AdministrationAction.IDENTITY_PROVIDER_ADDED,
        changed=AdministrationAction.IDENTITY_PROVIDER_CHANGED,
    )


def save_directory(source: DirectorySource, *, actor: User, bind_password: str = "") -> DirectorySource:
    """Adds or changes one of the actor's organization's directories."""
    return _save_sign_in_setting(
        source,
        actor=actor,
        secret_field="bind_password",
        secret=bind_password,
        added=AdministrationAction.DIRECTORY_ADDED,
        changed=AdministrationAction.DIRECTORY_CHANGED,
    )
