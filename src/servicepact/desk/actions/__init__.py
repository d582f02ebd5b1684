"""Every write to a ticket. Views, the API, tasks and imports call these; nothing else saves a ticket.

Each action checks the actor's permission (``PermissionDenied``), validates (``ActionRefused``, nothing
changed), then in one transaction locks the ticket row, appends hash-chained events, updates the
projection and refreshes the ticket's clocks. ``at`` is for the demo simulator and imports only.
"""

from servicepact.desk.actions.assignment import assign_ticket, route_ticket, set_assignee
from servicepact.desk.actions.attachments import add_attachment
from servicepact.desk.actions.classification import correct_classification
from servicepact.desk.actions.conversation import add_note, reply
from servicepact.desk.actions.creating import as_written, create_ticket
from servicepact.desk.actions.details import add_watcher, change_priority, remove_watcher, update_fields
from servicepact.desk.actions.lifecycle import change_status, close_ticket, reopen_ticket, resolve_ticket

__all__ = [
    "add_attachment",
    "add_note",
    "add_watcher",
    "as_written",
    "assign_ticket",
    "change_priority",
    "change_status",
    "close_ticket",
    "correct_classification",
    "create_ticket",
    "remove_watcher",
    "reopen_ticket",
    "reply",
    "resolve_ticket",
    "route_ticket",
    "set_assignee",
    "update_fields",
]
