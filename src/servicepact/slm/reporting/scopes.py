"""Which tickets a team's or a service's report counts.

- service: the tickets of that service: the service of the ticket's last ``corrected`` event, else of its
  ``created`` event (a correction is retroactive, as the kernel reads it);
- team: the tickets whose resolution the team held when it stopped: the team holding the ticket at its
  last move to resolved or closed before END, or, for a ticket still open at END, the team holding it
  then. A ticket handed on before it was resolved belongs to the team that resolved it.

The scope filters the event log before the kernel sees it, so a scoped report is the kernel's report of
that smaller log, and ``servicepact report verify`` checks it against the log the page offers for download.
"""

from collections.abc import Mapping, Sequence

from servicepact.sla.events import Event
from servicepact.slm.models import ReportScope

STOPPED = frozenset({"resolved", "closed"})


def team_at_stop(events: Sequence[Event]) -> str | None:
    """The team holding the ticket when its resolution last stopped, or at its last event if still open."""
    holder: str | None = None
    status = "new"
    holder_at_stop: str | None = None
    for event in events:
        if event.type == "created":
            holder = event.data.get("team") or holder
        elif event.type == "assigned":
            holder = event.data.get("team")
        elif event.type == "status":
            new_status = event.data["status"]
            if new_status in STOPPED and status not in STOPPED:
                holder_at_stop = holder
            elif new_status not in STOPPED:
                holder_at_stop = None
            status = new_status
    return holder_at_stop if status in STOPPED else holder


def ticket_service(events: Sequence[Event]) -> str | None:
    """The service the ticket was about: its last correction's, wherever it stands, else its creation's."""
    for event in reversed(events):
        if event.type == "corrected" and "service" in event.data:
            return event.data["service"]
    return events[0].data.get("service")


def in_scope(scope: str, key: str, events: Sequence[Event]) -> bool:
    if scope == ReportScope.CONTRACT:
        return True
    if scope == ReportScope.SERVICE:
        return ticket_service(events) == key
    if scope == ReportScope.TEAM:
        return team_at_stop(events) == key
    raise ValueError(f"scope: {scope!r} is not one of {', '.join(ReportScope.values)}")


def scoped_events(scope: str, key: str, events_by_ticket: Mapping[str, Sequence[Event]]) -> dict[str, Sequence[Event]]:
    return {ticket: events for ticket, events in events_by_ticket.items() if in_scope(scope, key, events)}
