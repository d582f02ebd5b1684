from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class RotationPeriod(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Rotation(models.Model):
    """Who of a team is on call, in turns: one layer (1 the person on call, 2 the secondary, ...).

    A turn lasts a day or a week and changes hands at ``handoff_time`` in the team's zone; the first turn
    began on ``starts_on`` with the first member. Overrides (holidays, sickness) win over the turns.
    """

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="rotations")
    name = models.CharField(_("name"), max_length=100)
    layer = models.PositiveSmallIntegerField(_("layer"), default=1, help_text=_("1: on call; 2: secondary."))
    period = models.CharField(_("turn"), max_length=8, choices=RotationPeriod.choices, default=RotationPeriod.WEEKLY)
    handoff_time = models.TimeField(_("hand-off time"))
    starts_on = models.DateField(_("first turn on"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["team", "layer", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "layer"], name="rotation_layer_unique")]
        verbose_name = _("on-call rotation")
        verbose_name_plural = _("on-call rotations")

    def __str__(self) -> str:
        return f"{self.team.slug}: {self.name} (layer {self.layer})"


class RotationMember(models.Model):
    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["rotation", "position"]
        constraints = [models.UniqueConstraint(fields=["rotation", "person"], name="rotation_member_unique")]
        verbose_name = _("rotation member")
        verbose_name_plural = _("rotation members")

    def __str__(self) -> str:
        return f"{self.rotation} #{self.position} {self.person}"


class Override(models.Model):
    """``person`` is on call in the rotation's place from ``starts_at`` to ``ends_at`` (holiday, sickness)."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["rotation", "-starts_at"]
        verbose_name = _("on-call override")
        verbose_name_plural = _("on-call overrides")

    def __str__(self) -> str:
        return f"{self.rotation}: {self.person} {self.starts_at:%Y-%m-%d %H:%M}"
