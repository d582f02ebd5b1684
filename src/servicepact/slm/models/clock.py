from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class ClockStateKind(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")


class ClockState(models.Model):
    """A ticket clock as the SLA kernel computed it at ``computed_at``; stored for fast queues and sweeps.

    Always recomputable from the ticket's events and its pinned contract version.
    """

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="clocks")
    clock = models.CharField(_("clock"), max_length=80)
    priority = models.CharField(_("priority"), max_length=8)
    calendar = models.CharField(_("calendar"), max_length=64)
    target_s = models.PositiveIntegerField(_("target (s)"))
    elapsed_s = models.PositiveIntegerField(_("elapsed (s)"))
    state = models.CharField(_("state"), max_length=16, choices=ClockStateKind.choices)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # When the sweep must look again: the next warning threshold or the due instant, if running.
    next_check_at = models.DateTimeField(null=True, blank=True)
    warnings_fired = models.JSONField(default=list, help_text=_("Warning thresholds already fired."))
    computed_at = models.DateTimeField()

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["ticket", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "clock"], name="clock_state_unique")]
        indexes = [
            models.Index(fields=["next_check_at"], name="clock_next_check"),
            models.Index(fields=["state", "due_at"], name="clock_state_due"),
        ]
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.clock} {self.state}"
