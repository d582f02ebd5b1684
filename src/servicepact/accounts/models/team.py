from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class Team(models.Model):
    """A group of people working one queue: the service desk, a resolver team, a vendor's team."""

    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="teams"
    )
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_service_desk = models.BooleanField(
        _("service desk"), default=False, help_text=_("New tickets arrive in this team's triage queue.")
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    email = models.EmailField(_("e-mail"), blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name
