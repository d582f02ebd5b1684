"""What a webhook payload holds: only what the endpoint's organization may see, decided by the access layer.

An organization's payload is built as one of its administrators would read the ticket (``as_organization``):
a ticket the organization does not see sends nothing, an internal event (an internal note, a clock
warning) goes only to organizations that see the ticket's internal entries, and a clock warning about an
internal clock (an OLA) only to those who see that clock. Names of people and e-mail addresses stay out.
"""

from django.utils import timezone

from servicepact.accounts.models import Organization
from servicepact.accounts.roles import Role
from servicepact.desk.models import EventType, Ticket, TicketEvent
from servicepact.evidence.models import Checkpoint
from servicepact.permissions import Principal, can_see_internal, clock_sight
from servicepact.slm.models import StoredReport

EVENT_NAMES = {
    EventType.CREATED: "ticket.created",
    EventType.ASSIGNED: "ticket.assigned",
    EventType.STATUS: "ticket.status",
    EventType.REPLIED: "ticket.replied",
    EventType.NOTE: "ticket.note",
    EventType.PRIORITY: "ticket.priority",
    EventType.CLOCK_WARNING: "clock.warning",
}
# Keys of an event's data that name people; never sent.
PERSONAL_KEYS = {"notified", "assignee", "user", "requester", "email"}


def as_organization(organization: Organization) -> Principal:
    """The organization as its administrators see things (no person: user id 0 is nobody's)."""
    return Principal(
        user_id=0,
        organization_id=organization.pk,
        organization_kind=organization.kind,
        roles=frozenset({Role.ADMINISTRATOR}),
    )


def event_name(event: TicketEvent) -> str:
    return EVENT_NAMES.get(event.type, "ticket.other")


def ticket_fields(ticket: Ticket) -> dict:
    return {
        "number": ticket.number,
        "kind": ticket.kind,
        "title": ticket.title,
        "status": ticket.status,
        "priority": ticket.priority,
        "contract": ticket.contract.slug,
        "service": ticket.service.key,
        "category": ticket.category,
        "team": ticket.team.slug if ticket.team_id else None,
        "created_at": ticket.created_at.isoformat(),
        "path": ticket.get_absolute_url(),
    }


def ticket_event_payload(ticket: Ticket, event: TicketEvent, who: Principal) -> dict | None:
    """The payload of ``event`` for the organization ``who`` stands for, or None when it may not hear of it."""
    if not Ticket.objects.visible_to(who).filter(pk=ticket.pk).exists():
        return None
    if not event.public and not can_see_internal(who, ticket):
        return None
    data = {key: value for key, value in event.data.items() if key not in PERSONAL_KEYS}
    if event.type == EventType.CLOCK_WARNING and not clock_sight(who, ticket).shows(data.get("clock", "")):
        return None
    return {
        "event": event_name(event),
        "occurred_at": event.at.isoformat(),
        "ticket": ticket_fields(ticket),
        "entry": {"type": event.type, "seq": event.seq, "public": event.public, "data": data},
    }


def page_payload(page, what: str) -> dict:
    """A page's news for its team's organization (which sees its own pages whole)."""
    return {
        "event": f"page.{what}",
        "occurred_at": timezone.now().isoformat(),
        "page": {
            "id": page.pk,
            "team": page.team.slug,
            "title": page.title,
            "status": page.status,
            "ticket": page.ticket.number if page.ticket_id else None,
            "step": page.next_step,
            "path": page.get_absolute_url(),
        },
    }


def report_event_name(report: StoredReport) -> str:
    return "report.restated" if report.restates_id else "report.generated"


def report_payload(report: StoredReport, who: Principal) -> dict | None:
    """A stored report's news for an organization that reads the contract's reports (its customer and its
    provider), or None: what identifies and verifies the report, never its figures or who asked for it
    (the report is fetched from ``path`` by whoever may read it)."""
    if not StoredReport.objects.visible_to(who).filter(pk=report.pk).exists():
        return None
    checkpoint = Checkpoint.objects.filter(report=report).only("sequence", "root").first()
    return {
        "event": report_event_name(report),
        "occurred_at": report.generated_at.isoformat(),
        "report": {
            "id": report.pk,
            "contract": report.contract.slug,
            "kind": report.kind,
            "scope": report.scope,
            "scope_key": report.scope_key,
            "period": report.period_label,
            "from": report.period_start.isoformat(),
            "to": report.period_end.isoformat(),
            "contract_version": report.contract_version.number,
            "contract_sha256": report.contract_sha256,
            "events_sha256": report.events_sha256,
            "generated_at": report.generated_at.isoformat(),
            "restates": report.restates_id,
            "reason": report.reason,
            "checkpoint": None if checkpoint is None else {"sequence": checkpoint.sequence, "root": checkpoint.root},
            "path": report.get_absolute_url(),
        },
    }
