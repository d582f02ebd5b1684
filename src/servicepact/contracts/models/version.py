from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class ContractVersion(models.Model):
    """One version of a contract's text. Once both parties have signed, it never changes."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source = models.TextField(_("contract text (YAML)"))
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    customer_signed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    customer_signed_at = models.DateTimeField(null=True, blank=True)
    provider_signed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "-number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="contract_version_unique")]
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")

    def __str__(self) -> str:
        return f"{self.contract.slug} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = ContractVersion.objects.filter(pk=self.pk).values("status", "source", "sha256").first()
            if stored and stored["status"] == VersionStatus.SIGNED:
                raise ValidationError(_("A signed contract version is immutable."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == VersionStatus.SIGNED:
            raise ValidationError(_("A signed contract version cannot be deleted."))
        return super().delete(*args, **kwargs)
