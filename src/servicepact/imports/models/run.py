from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One import of a file of another tool's history into a contract: who, which file (its SHA-256), which
    mapping, how far it got and what it found. A dry run leaves none: it changes nothing.

    A run goes on where it stopped: the tickets it imported are kept batch by batch, and running the same
    file again skips them (``ImportedTicket`` knows each source number once per contract and system).
    """

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="import_runs")
    tool = models.CharField(_("source tool"), max_length=16)
    layout = models.CharField(_("layout"), max_length=24)
    system = models.CharField(_("source system"), max_length=64)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    upload = models.FileField(
        upload_to="imports/%Y/%m/", blank=True, help_text=_("The uploaded file a background import reads.")
    )
    mapping_name = models.CharField(_("mapping"), max_length=200)
    mapping_sha256 = models.CharField(_("SHA-256 of the mapping"), max_length=64)
    mapping_text = models.TextField(_("mapping text (YAML)"))
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    created_at = models.DateTimeField(_("created"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(_("tickets to import"), default=0)
    done = models.PositiveIntegerField(_("tickets processed"), default=0)
    imported = models.PositiveIntegerField(_("tickets imported"), default=0)
    skipped = models.PositiveIntegerField(_("tickets already there"), default=0)
    events = models.PositiveBigIntegerField(_("events written"), default=0)
    report = models.JSONField(_("report"), default=dict)
    error = models.TextField(_("error"), blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["contract", "file_sha256"], name="import_run_file")]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.contract.slug} {self.tool} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:run", args=[self.pk])

    @property
    def progress_percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
