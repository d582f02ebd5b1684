from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.Model):
    """An application in scope of a contract, ranked by business criticality (tier 1 is the most critical)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="services")
    key = models.SlugField(_("service id"), max_length=64, help_text=_("The service's id in the contract text."))
    name = models.CharField(_("name"), max_length=200)
    tier = models.PositiveSmallIntegerField(_("criticality tier"), default=3)
    owning_team = models.ForeignKey(
        "accounts.Team", verbose_name=_("owning team"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="owned_services",
    )

    class Meta:
        ordering = ["tier", "name"]
        constraints = [models.UniqueConstraint(fields=["contract", "key"], name="service_key_unique")]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A ticket category of a contract (used by routing and by the contract's measure exclusions)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(_("category id"), max_length=64)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["contract", "key"], name="category_key_unique")]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name
