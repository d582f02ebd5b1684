from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class MajorStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESOLVED = "resolved", _("Resolved")
    REVIEWED = "reviewed", _("Reviewed")


class MajorHistory(models.TextChoices):
    DECLARED = "declared", _("Declared")
    SERVICE_ADDED = "service_added", _("Affected service added")
    INCIDENT_LINKED = "incident_linked", _("Incident linked")
    UPDATE_SENT = "update_sent", _("Update to the customer")
    OUTAGE_RECORDED = "outage_recorded", _("Outage recorded")
    RESOLVED = "resolved", _("Resolved")
    REVIEWED = "reviewed", _("Post-incident review")


class MajorIncident(models.Model):
    """An outage of a tier-1 service, run by the provider's leads: its own record beside the incidents
    it gathers, so the customer hears one story and the review has one timeline."""

    keeps_history = True
    history_types = MajorHistory

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="major_incidents")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MajorStatus.choices, default=MajorStatus.ACTIVE)
    services = models.ManyToManyField(
        "contracts.Service", verbose_name=_("affected services"), related_name="major_incidents"
    )
    incidents = models.ManyToManyField(
        "desk.Ticket", verbose_name=_("incidents"), blank=True, related_name="major_incidents"
    )
    started_at = models.DateTimeField(_("outage started"))
    declared_at = models.DateTimeField(_("declared"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    update_interval_minutes = models.PositiveIntegerField(_("minutes between updates"), default=60)
    next_update_due = models.DateTimeField(_("next update due"), null=True, blank=True)
    outage_reference = models.CharField(_("outage record"), max_length=64, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("major incident")
        verbose_name_plural = _("major incidents")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("major_incidents:major_incident", args=[self.pk])

    @property
    def number(self) -> str:
        return f"MI{self.pk:05d}"

    @property
    def outage_ids(self) -> list[int]:
        """The availability app's outage records of this major incident (one per affected service)."""
        return [int(part) for part in self.outage_reference.split(",") if part.isdigit()]


class CommunicationUpdate(models.Model):
    """One timed update to the customer, as it was mailed to the contract's customer managers."""

    major_incident = models.ForeignKey(MajorIncident, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("at"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("update"))
    next_update_at = models.DateTimeField(_("next update by"), null=True, blank=True)
    recipients = models.JSONField(_("sent to"), default=list)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("update to the customer")
        verbose_name_plural = _("updates to the customer")


class PostIncidentReview(models.Model):
    """What happened, why, and what will be done: written once the major incident is resolved."""

    major_incident = models.OneToOneField(MajorIncident, on_delete=models.CASCADE, related_name="review")
    timeline = models.TextField(_("timeline"), help_text=_("One line per moment: time, then what happened."))
    cause = models.TextField(_("cause"))
    actions = models.TextField(_("actions"), help_text=_("One action per line."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("post-incident review")
        verbose_name_plural = _("post-incident reviews")

    @property
    def timeline_rows(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.timeline.splitlines():
            line = line.strip()
            if line:
                when, _sep, what = line.partition(" ")
                rows.append((when, what.strip()))
        return rows

    @property
    def action_rows(self) -> list[str]:
        return [line.strip().lstrip("-* ").strip() for line in self.actions.splitlines() if line.strip()]
