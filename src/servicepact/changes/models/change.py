from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class ChangeKind(models.TextChoices):
    STANDARD = "standard", _("Standard (pre-approved)")
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Changes that still hold their window: conflicts are looked for among them.
ACTIVE_STATUSES = (
    ChangeStatus.DRAFT,
    ChangeStatus.AWAITING_APPROVAL,
    ChangeStatus.APPROVED,
    ChangeStatus.IN_PROGRESS,
)


class Outcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    FAILED = "failed", _("Failed")
    BACKED_OUT = "backed_out", _("Backed out")


class ChangeHistory(models.TextChoices):
    RAISED = "raised", _("Raised")
    UPDATED = "updated", _("Updated")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVAL = "approval", _("Approved by a board member")
    REJECTION = "rejection", _("Rejected by a board member")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    STARTED = "started", _("Implementation started")
    IMPLEMENTED = "implemented", _("Implemented")
    REVIEWED = "reviewed", _("Reviewed and closed")
    CANCELLED = "cancelled", _("Cancelled")
    TASK = "task", _("Task")
    LINKED = "linked", _("Linked")


class StandardChange(models.Model):
    """A pre-approved template: a change made from it needs no approval."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="standard_changes")
    key = models.SlugField(_("template id"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    implementation_plan = models.TextField(_("implementation plan"))
    backout_plan = models.TextField(_("back-out plan"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "key"]
        constraints = [models.UniqueConstraint(fields=["contract", "key"], name="changes_template_key_unique")]
        verbose_name = _("standard change")
        verbose_name_plural = _("standard changes")

    def __str__(self) -> str:
        return self.title


class Change(models.Model):
    """A request for change: what, on which items, when, how and how to back out; approved by the customer's
    change advisory board by the contract's rule for its risk, then implemented and reviewed."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("kind"), max_length=16, choices=ChangeKind.choices, default=ChangeKind.NORMAL)
    template = models.ForeignKey(
        StandardChange, verbose_name=_("template"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    items = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("items changed"), related_name="changes")
    risk = models.CharField(_("risk"), max_length=8, choices=Risk.choices, default=Risk.LOW)
    impact = models.JSONField(_("impact"), default=dict, help_text=_("The services affected and their tiers."))
    status = models.CharField(_("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.DRAFT)
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    backout_plan = models.TextField(_("back-out plan"), blank=True)
    # Frozen at submission: the board and the rule that decide this change.
    board = models.JSONField(_("advisory board"), default=list)
    rule = models.CharField(_("approval rule"), max_length=3, blank=True)
    implementers = models.CharField(_("implementing team"), max_length=64, blank=True)
    in_freeze = models.BooleanField(_("inside a freeze"), default=False)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    implemented_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    review = models.TextField(_("post-implementation review"), blank=True)
    release = models.ForeignKey(
        "changes.Release",
        verbose_name=_("release"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AccessQuerySet.as_manager()

    keeps_history = True
    history_types = ChangeHistory

    class Meta:
        ordering = ["-planned_start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(planned_end__gt=models.F("planned_start")), name="changes_window")
        ]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"CHG{self.pk:07d}"

    def get_absolute_url(self) -> str:
        return reverse("changes:change", args=[self.pk])


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Approval(models.Model):
    """One board member's decision on a change, with their comment."""

    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"))
    at = models.DateTimeField(_("at"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["change", "at"]
        constraints = [models.UniqueConstraint(fields=["change", "approver"], name="changes_one_decision_each")]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self) -> str:
        return f"{self.change_id} {self.decision} by {self.approver_id}"


class ChangeTask(models.Model):
    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["change", "pk"]
        verbose_name = _("change task")
        verbose_name_plural = _("change tasks")

    def __str__(self) -> str:
        return self.title


class LinkRelation(models.TextChoices):
    CAUSED = "caused", _("caused")
    FIXES = "fixes", _("fixes")


class ChangeTicket(models.Model):
    """A change caused or fixes an incident."""

    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="ticket_links")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="change_links")
    relation = models.CharField(_("relation"), max_length=8, choices=LinkRelation.choices)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["change", "ticket"]
        constraints = [
            models.UniqueConstraint(fields=["change", "ticket", "relation"], name="changes_ticket_link_unique")
        ]
        verbose_name = _("change's ticket")
        verbose_name_plural = _("changes' tickets")

    def __str__(self) -> str:
        return f"{self.change_id} {self.relation} {self.ticket_id}"
