from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class RelationKind(models.TextChoices):
    DEPENDS_ON = "depends_on", _("depends on")
    RUNS_ON = "runs_on", _("runs on")
    CONNECTS_TO = "connects_to", _("connects to")


class Relationship(models.Model):
    """``source`` depends on, runs on or connects to ``target``: when the target fails, the source is affected."""

    source = models.ForeignKey("cmdb.ConfigurationItem", on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey("cmdb.ConfigurationItem", on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("kind"), max_length=16, choices=RelationKind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["source", "kind", "target"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="cmdb_relationship_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="cmdb_relationship_not_self"),
        ]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")

    def __str__(self) -> str:
        return f"{self.source.key} {self.kind} {self.target.key}"
