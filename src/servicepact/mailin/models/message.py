from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class InboundStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    TICKET = "ticket", _("Opened a ticket")
    REPLY = "reply", _("Added to a ticket")
    IGNORED = "ignored", _("Ignored (automatic reply, bounce or loop)")
    REFUSED = "refused", _("Refused (unknown sender)")
    FAILED = "failed", _("Failed")


class InboundMessage(models.Model):
    """A mail as it came, stored before it is read: a failure leaves it here, for another try."""

    mailbox = models.ForeignKey("mailin.Mailbox", on_delete=models.CASCADE, related_name="messages")
    uid_validity = models.BigIntegerField()
    uid = models.BigIntegerField()
    raw = models.BinaryField(_("message"))
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True, db_index=True)
    sender = models.CharField(_("from"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received"))
    status = models.CharField(
        _("status"), max_length=16, choices=InboundStatus.choices, default=InboundStatus.PENDING, db_index=True
    )
    outcome = models.TextField(_("outcome"), blank=True)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    ticket = models.ForeignKey(
        "desk.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "uid_validity", "uid"], name="inbound_message_once"),
        ]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"
