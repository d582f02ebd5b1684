from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet


class RelationshipRound(models.Model):
    """A relationship survey of a contract: its customer's managers are asked how the service goes."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="relationship_rounds")
    title = models.CharField(_("title"), max_length=100)
    opened_at = models.DateTimeField(_("opened"))
    closes_at = models.DateTimeField(_("closes"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "title"], name="relationship_round_title_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opened_at")), name="relationship_round_closes_later"),
        ]
        verbose_name = _("relationship survey")
        verbose_name_plural = _("relationship surveys")

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.closes_at


class RelationshipAnswerQuerySet(AccessQuerySet, WriteOnceQuerySet):
    pass


class RelationshipAnswer(WriteOnceModel):
    """One manager's answer to a relationship survey: written once."""

    round = models.ForeignKey(RelationshipRound, on_delete=models.PROTECT, related_name="answers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(_("answered"))

    objects = RelationshipAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="relationship_answer_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="relationship_score_on_scale"),
        ]
        verbose_name = _("relationship survey answer")
        verbose_name_plural = _("relationship survey answers")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.person_id}"
