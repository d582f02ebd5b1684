from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class Environment(models.TextChoices):
    DEVELOPMENT = "development", _("Development")
    TEST = "test", _("Test")
    STAGING = "staging", _("Staging")
    PRODUCTION = "production", _("Production")


class ReleaseHistory(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGE_ADDED = "change_added", _("Change added")
    DEPLOYED = "deployed", _("Deployed")
    NOTES = "notes", _("Release notes changed")


class Release(models.Model):
    """A group of changes shipped together, deployed environment by environment, with its notes."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="releases")
    name = models.CharField(_("name"), max_length=120)
    version = models.CharField(_("version"), max_length=40)
    notes = models.TextField(_("release notes"), blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AccessQuerySet.as_manager()

    keeps_history = True
    history_types = ReleaseHistory

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["contract", "name", "version"], name="changes_release_unique")]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("changes:release", args=[self.pk])


class Deployment(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="deployments")
    environment = models.CharField(_("environment"), max_length=16, choices=Environment.choices)
    deployed_at = models.DateTimeField(_("deployed at"))
    deployed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    succeeded = models.BooleanField(_("succeeded"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["release", "deployed_at"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")

    def __str__(self) -> str:
        return f"{self.release} -> {self.environment}"
