from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class AdministrationAction(models.TextChoices):
    PERSON_CREATED = "person_created", _("Person created")
    PERSON_CHANGED = "person_changed", _("Person changed")
    PERSON_DEACTIVATED = "person_deactivated", _("Person deactivated")
    PERSON_REACTIVATED = "person_reactivated", _("Person reactivated")
    PASSWORD_LINK = "password_link", _("Set-password link issued")
    ROLE_GIVEN = "role_given", _("Role given")
    ROLE_REMOVED = "role_removed", _("Role removed")
    SIGN_IN_UNLOCKED = "sign_in_unlocked", _("Sign-in unlocked")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor authentication reset")
    TEAM_CREATED = "team_created", _("Team created")
    TEAM_CHANGED = "team_changed", _("Team changed")
    ROUTING_CREATED = "routing_created", _("Routing rule created")
    ROUTING_CHANGED = "routing_changed", _("Routing rule changed")
    ROUTING_DELETED = "routing_deleted", _("Routing rule deleted")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    SETTINGS_CHANGED = "settings_changed", _("Settings changed")
    IDENTITY_PROVIDER_ADDED = "identity_provider_added", _("Identity provider added")
    IDENTITY_PROVIDER_CHANGED = "identity_provider_changed", _("Identity provider changed")
    DIRECTORY_ADDED = "directory_added", _("Directory added")
    DIRECTORY_CHANGED = "directory_changed", _("Directory changed")


class AdministrationRecord(models.Model):
    """One change an organization's administrator made to its people, teams, routing, tokens or settings.

    Written by the action that makes the change, in its transaction; read by the organization's
    administrators on their overview page.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="administration_records"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="administration_records"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(_("action"), max_length=32, choices=AdministrationAction.choices)
    subject = models.CharField(_("subject"), max_length=300, help_text=_("What was changed, as it was named then."))
    detail = models.JSONField(default=dict, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("administration record")
        verbose_name_plural = _("administration records")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.subject}"
