from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class ImportedTicket(models.Model):
    """A ticket that came from another tool: its number there (the external reference), once per contract
    and source system, the run that brought it, and the source tool's own SLA verdicts, when it had them."""

    ticket = models.OneToOneField("desk.Ticket", on_delete=models.PROTECT, related_name="import_source")
    run = models.ForeignKey("imports.ImportRun", on_delete=models.PROTECT, related_name="imported_tickets")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    system = models.CharField(_("source system"), max_length=64)
    reference = models.CharField(_("external reference"), max_length=128)
    verdicts = models.JSONField(
        _("the source's SLA verdicts"),
        default=dict,
        blank=True,
        help_text=_("Clock -> met or breached, as the source tool judged it."),
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "system", "reference"], name="imported_reference_unique")
        ]
        verbose_name = _("imported ticket")
        verbose_name_plural = _("imported tickets")

    def __str__(self) -> str:
        return f"{self.system} {self.reference}"
