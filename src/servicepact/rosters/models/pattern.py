from django.db import models
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class ShiftPattern(models.Model):
    """A team's recurring shift, in the team's time zone: the weekdays it starts on, its start and end.

    An end at or before the start means the shift crosses midnight and ends the next day. With a country
    code in ``holidays`` the country's public holidays have no shift and its make-up working days (a
    weekend day worked in place of a holiday) have the shift a Monday has, exactly as the SLA calendars
    read them (``servicepact.sla.calendar_days``).
    """

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="shift_patterns")
    name = models.CharField(_("name"), max_length=100)
    weekdays = models.JSONField(_("weekdays"), default=list, help_text=_("ISO weekdays, 1 Monday to 7 Sunday."))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    holidays = models.CharField(
        _("holidays of"), max_length=8, blank=True, help_text=_("A country code such as CN, IN, DE or US.")
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["team", "starts_at", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="shift_pattern_unique")]
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")

    def __str__(self) -> str:
        return f"{self.team.slug}: {self.name}"

    @property
    def crosses_midnight(self) -> bool:
        return self.ends_at <= self.starts_at

    @property
    def weekday_labels(self) -> str:
        """The weekdays a shift starts on, abbreviated in the active language (Django's own names)."""
        return ", ".join(str(WEEKDAYS_ABBR[day - 1]) for day in self.weekdays)


class ShiftChange(models.Model):
    """A one-off change of a pattern on one local date: no shift that day, or a shift (other hours allowed)."""

    pattern = models.ForeignKey(ShiftPattern, on_delete=models.CASCADE, related_name="changes")
    date = models.DateField(_("date"))
    off = models.BooleanField(_("no shift"), default=False)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["pattern", "date"]
        constraints = [models.UniqueConstraint(fields=["pattern", "date"], name="shift_change_unique")]
        verbose_name = _("shift change")
        verbose_name_plural = _("shift changes")

    def __str__(self) -> str:
        return f"{self.pattern} {self.date}"
