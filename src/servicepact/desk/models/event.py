import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet


class EventType(models.TextChoices):
    # The types of the SLA specification's event log (section 3) ...
    CREATED = "created", _("Created")
    STATUS = "status", _("Status changed")
    PRIORITY = "priority", _("Priority changed")
    ASSIGNED = "assigned", _("Assigned to a team")
    # ... a public reply to the requester; exported as the specification's `responded`.
    REPLIED = "replied", _("Replied")
    # ... a correction of the ticket's service or category, with a reason; the specification's `corrected`.
    CORRECTED = "corrected", _("Service or category corrected")
    # ... history brought from other tools: back to no team's queue; a change made after the source closed it.
    UNASSIGNED = "unassigned", _("Back to no team")
    AMENDED = "amended", _("Changed after closing")
    # ... and the rest of a ticket's history.
    NOTE = "note", _("Internal note")
    ASSIGNEE = "assignee", _("Assignee changed")
    FIELD = "field", _("Field changed")
    ATTACHMENT = "attachment", _("Attachment added")
    WATCHER = "watcher", _("Watcher changed")
    CLOCK_WARNING = "clock_warning", _("Clock warning")


# The event types the SLA kernel reads, and the type each is exported as.
KERNEL_TYPES = {
    EventType.CREATED: "created",
    EventType.STATUS: "status",
    EventType.PRIORITY: "priority",
    EventType.ASSIGNED: "assigned",
    EventType.REPLIED: "responded",
    EventType.CORRECTED: "corrected",
    EventType.UNASSIGNED: "unassigned",
    EventType.AMENDED: "amended",
}


class TicketEventQuerySet(AccessQuerySet, WriteOnceQuerySet):
    pass


class TicketEvent(WriteOnceModel):
    """One entry of a ticket's append-only event log; each entry's hash covers the previous one."""

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("sequence"))
    type = models.CharField(_("type"), max_length=20, choices=EventType.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    public = models.BooleanField(_("visible to the requester"), default=True)
    data = models.JSONField(_("data"), default=dict)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    # The event's line in the SLA kernel's canonical log (``desk.eventlog.canonical_line``), written with the
    # event: empty when the kernel does not read the event, null when not computed (rows written in bulk
    # by an import). Reports hash these bytes instead of serialising millions of events again.
    canonical = models.BinaryField(_("canonical line"), null=True, editable=False)

    objects = TicketEventQuerySet.as_manager()

    class Meta:
        ordering = ["ticket", "seq"]
        constraints = [models.UniqueConstraint(fields=["ticket", "seq"], name="ticket_event_seq_unique")]
        indexes = [models.Index(fields=["at"], name="ticket_event_at")]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")

    def __str__(self) -> str:
        return f"{self.ticket_id}#{self.seq} {self.type}"

    def compute_hash(self, ticket_number: str) -> str:
        """SHA-256 over the previous hash and this event's content, as canonical JSON."""
        body = {
            "ticket": ticket_number,
            "seq": self.seq,
            "type": self.type,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "public": self.public,
            "data": self.data,
            "prev": self.prev_hash,
        }
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()
