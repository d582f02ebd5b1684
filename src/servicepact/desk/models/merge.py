from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet


class TicketMergeQuerySet(AccessQuerySet, WriteOnceQuerySet):
    pass


class TicketMerge(WriteOnceModel):
    """A duplicate merged into the ticket that survives it: written once, never undone.

    The duplicate keeps its events and is closed by the merge (its clocks stop then); the database refuses
    to change or delete this row (servicepact/evidence/guard.py), and the merge is an entry of its history.
    """

    duplicate = models.OneToOneField("desk.Ticket", on_delete=models.PROTECT, related_name="merged_into")
    survivor = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="merged_from")
    reason = models.CharField(_("reason"), max_length=500)
    merged_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(_("merged at"))

    keeps_history = True
    objects = TicketMergeQuerySet.as_manager()

    class Meta:
        ordering = ["merged_at", "pk"]
        verbose_name = _("ticket merge")
        verbose_name_plural = _("ticket merges")

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.survivor_id}"
