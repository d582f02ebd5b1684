from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.slm.models.backtest import WorkStatus


class DownloadKind(models.TextChoices):
    CONTRACT_EVENTS = "contract-events", _("the contract's events with their hashes")
    REPORT_EVENTS = "report-events", _("a report's event log")


class PreparedDownload(models.Model):
    """A file the worker writes for one person because making it reads a whole log (a contract's events
    with their hashes, a report's log recomputed): what, for whom, how far it got, and the file in the data
    directory when it is done. What the file holds depends on what its requester may read, so it is theirs
    alone.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=DownloadKind.choices)
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey("slm.StoredReport", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    file = models.FileField(upload_to="downloads/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    headers = models.JSONField(_("response headers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=WorkStatus.choices, default=WorkStatus.QUEUED)
    total = models.PositiveIntegerField(_("tickets to read"), default=0)
    done = models.PositiveIntegerField(_("tickets read"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("prepared download")
        verbose_name_plural = _("prepared downloads")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("slm:download", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (WorkStatus.DONE, WorkStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        if self.status == WorkStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
