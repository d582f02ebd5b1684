from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class OutboxAttachment(models.Model):
    """A file sent with an outgoing message (a report's PDF or spreadsheet): written by the action that
    queues the message, in its transaction, and never changed, so every try sends the same bytes."""

    message = models.ForeignKey(
        "notify.Outbox", on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size (bytes)"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["message", "position"]
        constraints = [
            models.UniqueConstraint(fields=["message", "position"], name="outbox_attachment_position_unique")
        ]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.name} ({self.size} bytes)"
