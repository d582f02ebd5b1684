from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """The turn of one periodic job: the worker that claims this row's ``next_run_at`` enqueues the job.

    The claim is a row lock (PostgreSQL) or a compare-and-set update (SQLite), so that of several
    workers exactly one fires each turn.
    """

    name = models.SlugField(_("name"), max_length=64, unique=True)
    task_path = models.CharField(_("task"), max_length=255)
    interval_s = models.PositiveIntegerField(_("interval (s)"))
    next_run_at = models.DateTimeField(_("next run"))
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_worker_id = models.CharField(_("last fired by"), max_length=64, blank=True)
    last_result_id = models.CharField(_("last task result"), max_length=64, blank=True)
    fire_count = models.PositiveIntegerField(_("times fired"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return f"{self.name} every {self.interval_s}s"
