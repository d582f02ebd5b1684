from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class Notice(models.Model):
    """A message in the service itself for one person (the bell in the header): what happened, on which
    ticket, and whether they have read it. Mail goes through the outbox; a notice never leaves the service."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notice_inbox")]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.text
