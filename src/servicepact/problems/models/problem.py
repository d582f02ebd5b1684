from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KNOWN_ERROR = "known_error", _("Known error")
    CLOSED = "closed", _("Closed")


class Cause(models.TextChoices):
    """The kind of root cause, counted per period in the service report."""

    SOFTWARE = "software", _("Software defect")
    CONFIGURATION = "configuration", _("Configuration")
    CAPACITY = "capacity", _("Capacity")
    HARDWARE = "hardware", _("Hardware")
    NETWORK = "network", _("Network")
    THIRD_PARTY = "third_party", _("Third party")
    PROCESS = "process", _("Process or human error")
    UNKNOWN = "unknown", _("Not known yet")


class ProblemHistory(models.TextChoices):
    RAISED = "raised", _("Problem raised")
    INCIDENT_LINKED = "incident_linked", _("Incident linked")
    INCIDENT_UNLINKED = "incident_unlinked", _("Incident unlinked")
    DIAGNOSED = "diagnosed", _("Cause and workaround recorded")
    KNOWN_ERROR = "known_error", _("Known error published")
    ITEM_LINKED = "item_linked", _("Configuration item linked")
    CHANGE_LINKED = "change_linked", _("Fixing change named")
    CLOSED = "closed", _("Closed")
    CLOSED_BY_CHANGE = "closed_by_change", _("Closed by the change that fixed it")


class Problem(models.Model):
    """The unknown cause of one or more incidents of a contract, until a change fixes it.

    The change planned to fix it is ``fixing_change``; when that change is implemented successfully, the
    changes app calls ``actions.close_fixed_by`` and the problem closes, ``fixed_by`` naming the change.
    """

    keeps_history = True
    history_types = ProblemHistory

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="problems")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        "contracts.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="problems"
    )
    category = models.CharField(_("category"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    cause = models.CharField(_("kind of cause"), max_length=16, choices=Cause.choices, default=Cause.UNKNOWN)
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    incidents = models.ManyToManyField(
        "desk.Ticket", through="problems.ProblemIncident", related_name="problems", blank=True
    )
    items = models.ManyToManyField(
        "cmdb.ConfigurationItem", verbose_name=_("configuration items"), blank=True, related_name="problems"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure = models.TextField(_("closure"), blank=True)
    fixing_change = models.ForeignKey(
        "changes.Change",
        verbose_name=_("fixing change"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems_fixed",
    )
    fixed_by = models.CharField(_("fixed by change"), max_length=64, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["contract", "status"], name="problem_contract_status")]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("problems:problem", args=[self.pk])

    @property
    def number(self) -> str:
        return f"PRB{self.pk:06d}"


class ProblemIncident(models.Model):
    """An incident counted as a symptom of a problem."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="incident_links")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="problem_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(_("linked"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["problem", "ticket"], name="problem_incident_unique")]
