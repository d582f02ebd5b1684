from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.billing.models.time import BillingQuerySet
from servicepact.write_once import WriteOnceModel


class Invoice(WriteOnceModel):
    """A contract month's invoice as the kernel computed it (``sla.invoice``): the approved hours at the
    rates of the version in force, the fixed fee, and the credits of the month's stored report, whose
    digest it names. Issued once per contract and month."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="invoices")
    contract_version = models.ForeignKey("contracts.ContractVersion", on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("month"), max_length=7)
    report = models.ForeignKey(
        "slm.StoredReport", on_delete=models.PROTECT, related_name="+", verbose_name=_("report of the month")
    )
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(_("total"), max_digits=18, decimal_places=2)
    body = models.JSONField(_("invoice (JSON)"))
    issued_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))

    objects = BillingQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "contract"]
        constraints = [models.UniqueConstraint(fields=["contract", "month"], name="invoice_month_unique")]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return f"{self.contract.slug} {self.month}"

    def refusal(self) -> Exception:
        return ValidationError(_("An issued invoice is final: it is never changed or deleted."))

    def get_absolute_url(self) -> str:
        return reverse("billing:invoice", kwargs={"slug": self.contract.slug, "month": self.month})
