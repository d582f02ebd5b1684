from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class TicketItem(models.Model):
    """A ticket names a configuration item it is about (the ticket's app keeps no link of its own)."""

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="configuration_links")
    item = models.ForeignKey("cmdb.ConfigurationItem", on_delete=models.PROTECT, related_name="ticket_links")
    linked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    linked_at = models.DateTimeField(_("linked at"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["ticket", "item"]
        constraints = [models.UniqueConstraint(fields=["ticket", "item"], name="cmdb_ticket_item_unique")]
        verbose_name = _("ticket's configuration item")
        verbose_name_plural = _("tickets' configuration items")

    def __str__(self) -> str:
        return f"{self.ticket_id} -> {self.item_id}"
