from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.desk.models.choices import Impact, Kind, Urgency
from servicepact.permissions.querysets import AccessQuerySet


class UnknownSenders(models.TextChoices):
    REFUSE = "refuse", _("Refuse politely by mail")
    CREATE = "create", _("Create a requester account of the customer")


class Mailbox(models.Model):
    """A contract's mailbox, read over IMAP: each new mail becomes a ticket of the contract, or a reply on one."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.CASCADE, related_name="mailboxes"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.EmailField(_("address"), help_text=_("The address people write to; mail from it is a loop."))
    host = models.CharField(_("IMAP server"), max_length=255)
    port = models.PositiveIntegerField(_("IMAP port"), default=993)
    use_ssl = models.BooleanField(_("TLS"), default=True)
    username = models.CharField(_("user name"), max_length=255)
    password = models.CharField(_("password"), max_length=500)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    service = models.ForeignKey(
        "contracts.Service", verbose_name=_("service of new tickets"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of new tickets"), max_length=16, choices=Kind.choices, default=Kind.INCIDENT)
    impact = models.CharField(_("impact"), max_length=16, choices=Impact.choices, default=Impact.LOW)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.MEDIUM)
    unknown_senders = models.CharField(
        _("mail from unknown senders"), max_length=16, choices=UnknownSenders.choices, default=UnknownSenders.REFUSE
    )
    enabled = models.BooleanField(_("read on schedule"), default=True)
    # The IMAP folder's UIDVALIDITY and the highest UID stored: the next read asks only for newer mail.
    uid_validity = models.BigIntegerField(default=0, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"
