from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet

# A reference names a ticket, change or record, as in the outage log (sla/outages.py MAX_REF_LENGTH).
REFERENCE_LENGTH = 64


class OutageHistory(models.TextChoices):
    """The entries an outage's history holds (servicepact/history)."""

    RECORDED = "recorded", _("Recorded")
    ENDED = "ended", _("Ended")
    CORRECTED = "corrected", _("Corrected")


class Outage(models.Model):
    """A business service of a contract down from ``start`` to ``end`` (open while ``end`` is empty).

    ``planned`` work inside the contract's maintenance windows is not agreed service time; any other
    outage is downtime (SLA-SPEC section 6). Written only by ``availability.actions``, each change an
    entry of its history.
    """

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="outages"
    )
    service = models.ForeignKey(
        "contracts.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="outages"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True, help_text=_("Empty while the service is down."))
    planned = models.BooleanField(_("planned"), default=False)
    reference = models.CharField(
        _("reference"),
        max_length=REFERENCE_LENGTH,
        blank=True,
        help_text=_("The ticket, change or record the outage comes from."),
    )
    description = models.TextField(_("description"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="recorded_outages",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = AccessQuerySet.as_manager()
    keeps_history = True
    history_types = OutageHistory

    class Meta:
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["contract", "start"], name="outage_contract_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="outage_ends_after_start"
            )
        ]
        verbose_name = _("outage")
        verbose_name_plural = _("outages")

    def __str__(self) -> str:
        return f"{self.service.key} {self.start:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("availability:outage", kwargs={"outage_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.end is None
