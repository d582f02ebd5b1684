from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class Contract(models.Model):
    """An outsourcing contract between a customer and a provider, with other vendors in scope."""

    slug = models.SlugField(_("contract id"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    customer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="contracts_as_customer",
    )
    provider = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="contracts_as_provider",
    )
    vendors = models.ManyToManyField(
        "accounts.Organization", verbose_name=_("other vendors"), blank=True, related_name="contracts_as_vendor"
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.title
