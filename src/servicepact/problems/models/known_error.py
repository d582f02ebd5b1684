from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class KnownErrorHistory(models.TextChoices):
    PUBLISHED = "published", _("Published")
    REVISED = "revised", _("Revised")
    RETIRED = "retired", _("Retired")
    TICKET_LINKED = "ticket_linked", _("Linked to a ticket")


class KnownError(models.Model):
    """A problem whose cause (or at least a workaround) is known, written for the agents who meet its
    symptoms: they find it while they triage a ticket of the same service, category or words."""

    keeps_history = True
    history_types = KnownErrorHistory

    problem = models.OneToOneField("problems.Problem", on_delete=models.PROTECT, related_name="known_error")
    title = models.CharField(_("title"), max_length=200)
    symptoms = models.TextField(_("symptoms"))
    workaround = models.TextField(_("workaround"))
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Words of a ticket's title or description that match it."),
    )
    active = models.BooleanField(_("active"), default=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published"))
    tickets = models.ManyToManyField("desk.Ticket", through="problems.TicketKnownError", related_name="known_errors")

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("known error")
        verbose_name_plural = _("known errors")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("problems:known_error", args=[self.pk])

    @property
    def number(self) -> str:
        return f"KE{self.pk:06d}"

    @property
    def words(self) -> list[str]:
        return [word for word in (w.strip().lower() for w in self.keywords.replace(";", ",").split(",")) if word]


class TicketKnownError(models.Model):
    """An agent's finding that a ticket is a known error's symptom."""

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="known_error_links")
    known_error = models.ForeignKey(KnownError, on_delete=models.PROTECT, related_name="ticket_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(_("linked"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "known_error"], name="ticket_known_error_unique")]
