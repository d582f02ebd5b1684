from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Outbox(models.Model):
    """One message to send, written in the same transaction as the change it tells of.

    The sender takes pending rows whose turn has come; a failed attempt counts in ``tries`` and waits
    longer each time, until the row is given up as ``failed`` with the last error kept.
    """

    recipients = models.JSONField(_("recipients"), help_text=_("E-mail addresses."))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    ticket = models.ForeignKey(
        "desk.Ticket",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("ticket"),
    )
    # Names what the message is about ("clock-warning:INC0000001:resolution:9/10"), so that the same
    # notice is never queued twice; empty for messages that may repeat.
    key = models.CharField(_("key"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="outbox_key_unique")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)} ({self.status})"
