from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class LinkKind(models.TextChoices):
    """How one ticket relates to another, read from the link's source: "<source> <kind> <target>"."""

    RELATES_TO = "relates_to", _("relates to")
    CAUSED_BY = "caused_by", _("caused by")
    DUPLICATE_OF = "duplicate_of", _("duplicate of")


# The same link read from its target: "<target> <inverse> <source>".
INVERSE_LABELS = {
    LinkKind.RELATES_TO: _("relates to"),
    LinkKind.CAUSED_BY: _("causes"),
    LinkKind.DUPLICATE_OF: _("has duplicate"),
}


class TicketLink(models.Model):
    """One ticket related to another; seen from both. Removing it keeps the row, with who, when and why.

    Its making and removal are entries of its own history (``keeps_history``), not events of either
    ticket's log: the log is the SLA's, and a link changes no clock.
    """

    source = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(_("kind"), max_length=16, choices=LinkKind.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("linked at"))
    removed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=500, blank=True)

    keeps_history = True
    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                condition=models.Q(removed_at__isnull=True),
                name="ticket_link_one_active_per_pair",
            ),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="ticket_link_not_to_itself"),
        ]
        indexes = [models.Index(fields=["target", "source"], name="ticket_link_target")]
        verbose_name = _("ticket link")
        verbose_name_plural = _("ticket links")

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"
