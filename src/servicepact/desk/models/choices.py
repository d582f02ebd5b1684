from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    REQUEST = "request", _("Service request")


# Ticket numbers: a prefix per kind and seven digits (INC0001234, REQ0000042).
NUMBER_PREFIX = {Kind.INCIDENT: "INC", Kind.REQUEST: "REQ"}


class Status(models.TextChoices):
    """The statuses of the SLA specification's event log, in their order of a ticket's life."""

    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING_CUSTOMER = "pending_customer", _("Pending customer")
    PENDING_VENDOR = "pending_vendor", _("Pending vendor")
    # Waiting on a problem record (the fix of a known error); mostly from imported history.
    PENDING_PROBLEM = "pending_problem", _("Pending problem")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.PENDING_CUSTOMER,
        Status.PENDING_VENDOR,
        Status.PENDING_PROBLEM,
    }
)


class Impact(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Urgency(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
