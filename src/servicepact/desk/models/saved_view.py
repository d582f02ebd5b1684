from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class SavedView(models.Model):
    """A person's own named queue: a queue with the filters and sort they chose, listed beside the queues."""

    owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("name"), max_length=80)
    queue = models.CharField(_("queue"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["owner", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_per_owner")]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        url = reverse("desk:queue", args=[self.queue])
        return f"{url}?{self.query}" if self.query else url
