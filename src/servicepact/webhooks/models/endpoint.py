from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class WebhookEvent(models.TextChoices):
    """What an endpoint may hear of; ``ticket.<event type>`` for each event on a ticket's timeline;
    ``report.generated`` when a period's report is stored (signed into a checkpoint with it), and
    ``report.restated`` when a stored report is recomputed as a new report restating it."""

    TICKET_CREATED = "ticket.created", _("Ticket created")
    TICKET_ASSIGNED = "ticket.assigned", _("Ticket assigned")
    TICKET_STATUS = "ticket.status", _("Ticket status changed (resolved, closed...)")
    TICKET_REPLIED = "ticket.replied", _("Public reply")
    TICKET_NOTE = "ticket.note", _("Internal note")
    TICKET_PRIORITY = "ticket.priority", _("Priority changed")
    TICKET_OTHER = "ticket.other", _("Any other ticket event")
    CLOCK_WARNING = "clock.warning", _("Clock warning or breach")
    REPORT_GENERATED = "report.generated", _("Service level report generated")
    REPORT_RESTATED = "report.restated", _("Service level report restated")
    PAGE = "page", _("On-call page (triggered, escalated, acknowledged, resolved)")


class Endpoint(models.Model):
    """Where an organization hears of events: a URL, the secret its payloads are signed with, the events."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("secret"), max_length=100)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="webhook_endpoint_unique")]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.organization.slug}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("webhooks:endpoint", args=[self.pk])
