from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.catalog.models.item import TaskOrder
from servicepact.permissions.querysets import AccessQuerySet


class Approval(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ServiceRequest(models.Model):
    """A submitted catalogue item: its ticket, the answers given, the approval and its decision."""

    ticket = models.OneToOneField("desk.Ticket", on_delete=models.PROTECT, related_name="service_request")
    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.PROTECT, related_name="requests")
    # [{"key", "label", "kind", "value"}] in the form's order; value as given (text, ISO date, e-mail, yes/no).
    answers = models.JSONField(_("answers"), default=list)
    approval = models.CharField(_("approval"), max_length=12, choices=Approval.choices, default=Approval.NOT_NEEDED)
    approver = models.ForeignKey(
        "accounts.User",
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="request_approvals",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    task_order = models.CharField(_("tasks done"), max_length=12, choices=TaskOrder.choices)
    submitted_at = models.DateTimeField(_("submitted"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["approver", "approval"], name="request_approver")]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.item_id}"


class RequestTask(models.Model):
    """A fulfilment task of one request, ticked off by those who work its ticket."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        "accounts.User", verbose_name=_("done by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["request", "position"]
        verbose_name = _("request task")
        verbose_name_plural = _("request tasks")

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str) -> str:
        return self.title_zh if language.startswith("zh") and self.title_zh else self.title
