from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet


class BillingQuerySet(AccessQuerySet, WriteOnceQuerySet):
    """Reached through the access layer; approved hours, approvals and invoices are never changed."""


class TimeEntry(WriteOnceModel):
    """Hours one person worked on a day under a contract, in a role of its billing section, on a ticket, a
    problem or a change, or on a general activity (staff augmentation)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="time_entries")
    person = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="time_entries")
    role = models.CharField(_("role"), max_length=64)
    day = models.DateField(_("day"))
    week = models.CharField(_("week"), max_length=8, help_text=_("The ISO week of the day, like 2026-W10."))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    ticket = models.ForeignKey(
        "desk.Ticket", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ticket")
    )
    problem = models.ForeignKey(
        "problems.Problem", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("problem")
    )
    change = models.ForeignKey(
        "changes.Change", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("change")
    )
    activity = models.CharField(_("activity"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("logged at"))
    # Set when the customer approves the person's week: from then on the entry is final (write_once).
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = BillingQuerySet.as_manager()
    final_rows = Q(approved_at__isnull=False)

    class Meta:
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["contract", "person", "week"], name="time_entry_week")]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")

    def __str__(self) -> str:
        return f"{self.person} {self.day} {self.hours}h"

    def refusal(self) -> Exception:
        return ValidationError(_("Approved hours are final: they are never changed or deleted."))

    @property
    def reference(self) -> str:
        for item in (self.ticket, self.problem, self.change):
            if item is not None:
                return item.number
        return self.activity

    @property
    def work_item(self):
        """The ticket, problem or change the hours were spent on (None: an activity)."""
        return self.ticket or self.problem or self.change


class WeekApproval(WriteOnceModel):
    """The customer's approval of one person's hours of one ISO week on a contract; the week's entries
    are final from then on."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    week = models.CharField(_("week"), max_length=8)
    hours = models.DecimalField(_("hours approved"), max_digits=6, decimal_places=2)
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"))

    objects = BillingQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "person"]
        constraints = [models.UniqueConstraint(fields=["contract", "person", "week"], name="week_approval_unique")]
        verbose_name = _("week approval")
        verbose_name_plural = _("week approvals")

    def __str__(self) -> str:
        return f"{self.person} {self.week}"

    def refusal(self) -> Exception:
        return ValidationError(_("An approval is final: it is never changed or withdrawn."))
