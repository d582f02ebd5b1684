from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class CannedReply(models.Model):
    """A team's ready answer, in English and Simplified Chinese, with placeholders filled from the ticket.

    Placeholders: {requester} (the requester's name), {number}, {title}, {agent} (who sends it).
    """

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="canned_replies")
    title = models.CharField(_("title"), max_length=120)
    body_en = models.TextField(_("text in English"))
    body_zh = models.TextField(_("text in Simplified Chinese"), blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["team", "title"]
        constraints = [models.UniqueConstraint(fields=["team", "title"], name="canned_reply_title_per_team")]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self) -> str:
        return self.title
