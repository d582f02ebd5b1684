from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.continuity.objectives import Objectives, tier_objectives
from servicepact.permissions.querysets import AccessQuerySet


class PlanHistory(models.TextChoices):
    """The entries a plan's history holds (servicepact/history)."""

    WRITTEN = "written", _("Written")
    REVISED = "revised", _("Revised")
    TESTED = "tested", _("Tested")


class ExerciseResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    PARTIAL = "partial", _("Partly passed")
    FAILED = "failed", _("Failed")


class ContinuityPlan(models.Model):
    """How a business service of a contract is recovered after a disaster, one plan per service.

    The recovery objectives are the plan's own when set, else those of the service's tier.
    """

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="continuity_plans"
    )
    service = models.OneToOneField(
        "contracts.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="continuity_plan"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("recovery steps"), blank=True, max_length=10000)
    rto_minutes = models.PositiveIntegerField(
        _("recovery time objective (minutes)"), null=True, blank=True, help_text=_("Empty: the service tier's.")
    )
    rpo_minutes = models.PositiveIntegerField(
        _("recovery point objective (minutes)"), null=True, blank=True, help_text=_("Empty: the service tier's.")
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"))

    objects = AccessQuerySet.as_manager()
    keeps_history = True
    history_types = PlanHistory

    class Meta:
        ordering = ["contract", "service__key"]
        verbose_name = _("continuity plan")
        verbose_name_plural = _("continuity plans")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("continuity:plan", kwargs={"plan_id": self.pk})

    @property
    def objectives(self) -> Objectives:
        """The plan's recovery objectives: its own where set, else its service tier's."""
        default = tier_objectives(self.service.tier)
        return Objectives(
            rto_minutes=self.rto_minutes if self.rto_minutes is not None else default.rto_minutes,
            rpo_minutes=self.rpo_minutes if self.rpo_minutes is not None else default.rpo_minutes,
        )


class PlanTest(models.Model):
    """One exercise of a plan: when, how it went, the recovery time and data loss it achieved."""

    plan = models.ForeignKey(ContinuityPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="tests")
    tested_on = models.DateField(_("tested on"))
    result = models.CharField(_("result"), max_length=16, choices=ExerciseResult.choices)
    recovery_minutes = models.PositiveIntegerField(_("recovery time achieved (minutes)"), null=True, blank=True)
    data_loss_minutes = models.PositiveIntegerField(_("data lost (minutes)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=10000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-tested_on", "-pk"]
        verbose_name = _("continuity test")
        verbose_name_plural = _("continuity tests")

    def __str__(self) -> str:
        return f"{self.plan} {self.tested_on}"
