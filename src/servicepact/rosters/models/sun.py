from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class SunTeam(models.Model):
    """Follow-the-sun: a routing rule's tickets go to the first of its teams (by position) on shift at
    arrival; when none is, to the rule's own team. The same order names the next team at a handover."""

    rule = models.ForeignKey("desk.RoutingRule", on_delete=models.CASCADE, related_name="sun_teams")
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["rule", "position"]
        constraints = [models.UniqueConstraint(fields=["rule", "team"], name="sun_team_unique")]
        verbose_name = _("follow-the-sun team")
        verbose_name_plural = _("follow-the-sun teams")

    def __str__(self) -> str:
        return f"{self.rule_id} #{self.position} {self.team}"
