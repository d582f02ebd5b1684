from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class RosterEntry(models.Model):
    """A person works a pattern's shifts in one week (the week starting on Monday ``week``)."""

    pattern = models.ForeignKey("rosters.ShiftPattern", on_delete=models.CASCADE, related_name="roster")
    week = models.DateField(_("week of"))
    person = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="roster_entries")

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["pattern", "week", "person"]
        constraints = [models.UniqueConstraint(fields=["pattern", "week", "person"], name="roster_entry_unique")]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")

    def __str__(self) -> str:
        return f"{self.pattern} {self.week} {self.person}"


class ShiftSwap(models.Model):
    """One shift (the one starting on ``date``) worked by ``cover`` instead of the rostered ``away``."""

    pattern = models.ForeignKey("rosters.ShiftPattern", on_delete=models.CASCADE, related_name="swaps")
    date = models.DateField(_("shift of"))
    away = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    cover = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["pattern", "date"]
        constraints = [models.UniqueConstraint(fields=["pattern", "date", "away"], name="shift_swap_unique")]
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")

    def __str__(self) -> str:
        return f"{self.pattern} {self.date}: {self.away} → {self.cover}"
