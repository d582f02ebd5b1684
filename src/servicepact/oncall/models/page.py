from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class PageStatus(models.TextChoices):
    TRIGGERED = "triggered", _("Triggered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Page(models.Model):
    """A call for a team's person on call, escalating by the policy frozen onto it when it started.

    ``steps`` is that copy (target and delay of each step); ``next_step`` the index of the step whose turn
    comes at ``next_step_at``. A timer runs a step only while the page is triggered and the step is still
    the page's ``next_step``, under the row's lock, so a step runs once however many workers try.
    """

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="pages")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, null=True, blank=True, related_name="pages")
    title = models.CharField(_("title"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    key = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PageStatus.choices, default=PageStatus.TRIGGERED)
    policy_name = models.CharField(_("escalation policy"), max_length=100, blank=True)
    steps = models.JSONField(_("steps"), default=list)
    next_step = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("started"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_step_at"], name="page_due")]
        constraints = [models.UniqueConstraint(fields=["key"], condition=~models.Q(key=""), name="page_key_unique")]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("oncall:page", args=[self.pk])


class PageNotice(models.Model):
    """Who a page reached, at which step, by which channel: the page's log (unique per step and person)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="notices")
    step = models.PositiveSmallIntegerField(_("step"))
    person = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    what = models.CharField(_("what"), max_length=32)
    at = models.DateTimeField(_("at"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["page", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["page", "step", "person", "what"], name="page_notice_unique")]
        verbose_name = _("page notice")
        verbose_name_plural = _("page notices")

    def __str__(self) -> str:
        return f"{self.page_id} step {self.step} {self.what} {self.person_id}"
