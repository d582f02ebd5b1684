from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet

DEFAULT_THRESHOLD = 3
DEFAULT_WINDOW_DAYS = 14


class RecurrenceHistory(models.TextChoices):
    SET = "set", _("Threshold and window set")


class RecurrenceSettings(models.Model):
    """How many incidents of one service and category within how many days make a problem worth raising."""

    keeps_history = True
    history_types = RecurrenceHistory

    contract = models.OneToOneField("contracts.Contract", on_delete=models.CASCADE, related_name="recurrence")
    threshold = models.PositiveIntegerField(
        _("incidents"), default=DEFAULT_THRESHOLD, validators=[MinValueValidator(2), MaxValueValidator(1000)]
    )
    window_days = models.PositiveIntegerField(
        _("within days"), default=DEFAULT_WINDOW_DAYS, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("recurrence settings")
        verbose_name_plural = _("recurrence settings")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RAISED = "raised", _("Raised as a problem")
    DISMISSED = "dismissed", _("Dismissed")


class SuggestionHistory(models.TextChoices):
    FOUND = "found", _("Found")
    GREW = "grew", _("More incidents")
    RAISED = "raised", _("Raised as a problem")
    DISMISSED = "dismissed", _("Dismissed")


class ProblemSuggestion(models.Model):
    """Incidents of one service and category that repeated beyond the contract's threshold in its window
    and belong to no problem yet: a problem worth raising."""

    keeps_history = True
    history_types = SuggestionHistory

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="problem_suggestions")
    service = models.ForeignKey("contracts.Service", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=64, blank=True)
    tickets = models.ManyToManyField("desk.Ticket", related_name="problem_suggestions")
    incident_count = models.PositiveIntegerField(_("incidents"))
    threshold = models.PositiveIntegerField(_("threshold"))
    window_days = models.PositiveIntegerField(_("window (days)"))
    first_at = models.DateTimeField(_("first"))
    last_at = models.DateTimeField(_("last"))
    found_at = models.DateTimeField(_("found"))
    status = models.CharField(
        _("status"), max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    problem = models.ForeignKey(
        "problems.Problem", on_delete=models.PROTECT, null=True, blank=True, related_name="suggestions"
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-last_at", "-id"]
        indexes = [models.Index(fields=["contract", "status"], name="suggestion_contract_status")]
        verbose_name = _("problem suggestion")
        verbose_name_plural = _("problem suggestions")

    def __str__(self) -> str:
        return f"{self.service.key} {self.category or '–'} ×{self.incident_count}"
