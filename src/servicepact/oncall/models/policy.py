from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class StepTarget(models.TextChoices):
    ON_CALL = "on_call", _("Person on call")
    SECONDARY = "secondary", _("Secondary on call")
    TEAM_LEAD = "team_lead", _("Team leads")


class EscalationPolicy(models.Model):
    """A team's steps when paged: who is paged, and after how long without acknowledgement the next step."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="escalation_policy")
    name = models.CharField(_("name"), max_length=100)

    objects = AccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation policy")
        verbose_name_plural = _("escalation policies")

    def __str__(self) -> str:
        return f"{self.team.slug}: {self.name}"


class EscalationStep(models.Model):
    """Step ``position``: page ``target`` ``delay_minutes`` after the previous step (the first: at once)."""

    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("step"))
    target = models.CharField(_("page"), max_length=16, choices=StepTarget.choices)
    delay_minutes = models.PositiveIntegerField(_("after (minutes)"), default=0)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["policy", "position"]
        constraints = [models.UniqueConstraint(fields=["policy", "position"], name="escalation_step_unique")]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    def __str__(self) -> str:
        return f"{self.policy} #{self.position} {self.target}"
