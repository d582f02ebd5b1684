from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.desk.models.choices import Impact, Kind, Status, Urgency
from servicepact.desk.queries import TicketQuerySet
from servicepact.permissions.querysets import AccessQuerySet


class Ticket(models.Model):
    """The projection of a ticket's event log: the row that queues, search and reports query.

    Only the actions in ``desk/actions.py`` write it, in the same transaction as the events.
    """

    number = models.CharField(_("number"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INCIDENT)
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="tickets")
    contract_version = models.ForeignKey(
        "contracts.ContractVersion",
        on_delete=models.PROTECT,
        related_name="tickets",
        help_text=_("The contract version in force when the ticket was created; its clocks follow it."),
    )
    customer = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="tickets",
        help_text=_("The contract's customer, kept on the row so that tenancy filters need no join."),
    )
    service = models.ForeignKey("contracts.Service", on_delete=models.PROTECT, related_name="tickets")
    category = models.CharField(_("category"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requester = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="requested_tickets", verbose_name=_("requester")
    )
    impact = models.CharField(_("impact"), max_length=8, choices=Impact.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    priority = models.CharField(_("priority"), max_length=8)
    priority_overridden = models.BooleanField(_("priority overridden"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("team"),
    )
    assignee = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )
    watchers = models.ManyToManyField("accounts.User", blank=True, related_name="watched_tickets")
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("reopened"), default=0)
    # The earliest due instant of the ticket's running clocks, kept for queues sorted by urgency.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    breached = models.BooleanField(_("breached"), default=False)
    # The event log's tail: the next event's sequence number is event_count + 1.
    event_count = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["team", "status", "due_at"], name="ticket_queue"),
            models.Index(fields=["customer", "status", "due_at"], name="ticket_customer_queue"),
            models.Index(fields=["assignee", "status", "due_at"], name="ticket_my_work"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester"),
            models.Index(fields=["contract", "status"], name="ticket_contract_status"),
            models.Index(fields=["status", "due_at"], name="ticket_status_due"),
            models.Index(fields=["-created_at"], name="ticket_created"),
        ]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("desk:ticket", kwargs={"number": self.number})


class TicketTeam(models.Model):
    """A team whose queue holds or held the ticket: what a vendor team may see."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="team_visits")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="ticket_visits")
    first_at = models.DateTimeField()

    objects = AccessQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "team"], name="ticket_team_unique")]
        indexes = [models.Index(fields=["team", "ticket"], name="ticket_team_lookup")]


class TicketCounter(models.Model):
    """The last number given per kind; locked row by row so that numbers never repeat.

    ``last_hash`` is the tail of the kind's ledger of issued numbers (``IssuedNumber``).
    """

    kind = models.CharField(max_length=16, choices=Kind.choices, unique=True)
    last = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
