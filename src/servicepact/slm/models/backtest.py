from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class WorkStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BacktestRun(models.Model):
    """One backtest of a draft contract against the signed versions, run by the worker: the draft as it was
    sent, the months and the history it reads, how far it got, and the kernel's result when it is done.

    The draft is checked when the run is started (a draft that is no contract starts none). The clause by
    clause differences between the version in force and the draft are kept with it, so the page shows the
    run as it was started, whatever was signed since. A run is its starter's: a party's draft is its own
    until it registers it.
    """

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="backtest_runs")
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    draft = models.TextField(_("draft contract (YAML)"))
    draft_sha256 = models.CharField(_("SHA-256 of the draft"), max_length=64)
    in_force = models.ForeignKey(
        "contracts.ContractVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("version in force"),
        help_text=_("The version the draft is compared with, clause by clause."),
    )
    changes = models.JSONField(_("changes from the version in force"), default=list)
    first = models.CharField(_("first month"), max_length=7)
    last = models.CharField(_("last month"), max_length=7)
    history = models.ForeignKey(
        "imports.ImportRun",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("history"),
        help_text=_("The import whose tickets are read; empty: every recorded ticket of the contract."),
    )
    status = models.CharField(_("status"), max_length=16, choices=WorkStatus.choices, default=WorkStatus.QUEUED)
    tickets_total = models.PositiveIntegerField(_("tickets to read"), default=0)
    tickets_done = models.PositiveIntegerField(_("tickets read"), default=0)
    months_total = models.PositiveIntegerField(_("months to compare"), default=0)
    months_done = models.PositiveIntegerField(_("months compared"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    verdicts = models.JSONField(
        _("the source's SLA verdicts"),
        default=dict,
        blank=True,
        help_text=_("Ticket -> clock -> met or breached, as the tool the ticket was imported from judged it."),
    )
    problems = models.JSONField(_("problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["contract", "started_by", "-created_at"], name="backtest_run_mine")]
        verbose_name = _("backtest")
        verbose_name_plural = _("backtests")

    def __str__(self) -> str:
        return f"{self.contract.slug} {self.first}..{self.last} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("slm:backtest_run", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (WorkStatus.DONE, WorkStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        """Reading the history is the first half of the work, comparing the months the second."""
        if self.status == WorkStatus.DONE:
            return 100
        read = self.tickets_done / self.tickets_total if self.tickets_total else 0
        compared = self.months_done / self.months_total if self.months_total else 0
        return int(50 * read + 50 * compared)
