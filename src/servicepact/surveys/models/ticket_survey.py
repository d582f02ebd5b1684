from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet

# The survey's scale: 1 (very dissatisfied) to 5 (very satisfied).
SCORES = range(1, 6)


class AnsweredVia(models.TextChoices):
    LINK = "link", _("the mail's link")
    PORTAL = "portal", _("the portal")
    API = "api", _("the API")


class TicketSurveyQuerySet(AccessQuerySet, WriteOnceQuerySet):
    def answered(self) -> "TicketSurveyQuerySet":
        return self.filter(answered_at__isnull=False)


class TicketSurvey(WriteOnceModel):
    """The satisfaction survey of one resolved ticket: open until answered or expired, then final."""

    final_rows = Q(answered_at__isnull=False)

    ticket = models.OneToOneField("desk.Ticket", on_delete=models.PROTECT, related_name="survey")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="ticket_surveys")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField(_("invited"))
    expires_at = models.DateTimeField(_("expires"))
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_via = models.CharField(_("answered by"), max_length=8, choices=AnsweredVia.choices, blank=True)

    objects = TicketSurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-invited_at", "-pk"]
        indexes = [models.Index(fields=["contract", "answered_at"], name="survey_contract_answered")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="survey_score_on_scale"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(score__isnull=False), name="survey_answer_has_score"
            ),
        ]
        verbose_name = _("ticket survey")
        verbose_name_plural = _("ticket surveys")

    def __str__(self) -> str:
        return f"survey of {self.ticket_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_open(self, now=None) -> bool:
        return not self.is_answered and (now or timezone.now()) < self.expires_at
