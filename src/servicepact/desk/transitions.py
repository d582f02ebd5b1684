"""Which status may follow which: the ticket life cycle of the service desk.

The statuses are the SLA specification's. Moving to ``resolved`` also needs a resolution, and moving out
of it the reopen window and a reason: the actions ask for those; this table says only which moves exist.
``new`` is only ever the first status.
"""

from django.utils.translation import gettext as _

from servicepact.desk.models import Status
from servicepact.refusals import ActionRefused

_WORKING = (Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER, Status.PENDING_VENDOR, Status.PENDING_PROBLEM)

ALLOWED: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({*_WORKING, Status.RESOLVED}),
    Status.ASSIGNED: frozenset({*_WORKING, Status.RESOLVED}) - {Status.ASSIGNED},
    Status.IN_PROGRESS: frozenset({*_WORKING, Status.RESOLVED}) - {Status.IN_PROGRESS},
    Status.PENDING_CUSTOMER: frozenset({*_WORKING, Status.RESOLVED}) - {Status.PENDING_CUSTOMER},
    Status.PENDING_VENDOR: frozenset({*_WORKING, Status.RESOLVED}) - {Status.PENDING_VENDOR},
    Status.PENDING_PROBLEM: frozenset({*_WORKING, Status.RESOLVED}) - {Status.PENDING_PROBLEM},
    # A reopen lands in in_progress (or assigned when the ticket has a resolver team's queue).
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS, Status.ASSIGNED}),
    Status.CLOSED: frozenset(),
}


def check_transition(current: str, new: str) -> None:
    """Refuse a move the life cycle does not allow; a move to the current status is refused too."""
    if new not in Status.values:
        raise ActionRefused(
            _("Unknown status %(status)s.") % {"status": new},
            errors={"status": [_("Choose one of: %(allowed)s.") % {"allowed": ", ".join(Status.values)}]},
        )
    if new == current:
        raise ActionRefused(
            _("The ticket is already %(status)s.") % {"status": current},
            errors={"status": [_("The ticket is already %(status)s.") % {"status": current}]},
            status=409,
        )
    if current == Status.CLOSED:
        raise ActionRefused(
            _("The ticket is closed; a closed ticket never changes."),
            errors={"status": [_("Closed is final.")]},
            status=409,
        )
    if new not in ALLOWED[current]:
        allowed = ", ".join(sorted(ALLOWED[current])) or "-"
        raise ActionRefused(
            _("A ticket cannot go from %(current)s to %(new)s.") % {"current": current, "new": new},
            errors={
                "status": [
                    _("From %(current)s the ticket may go to: %(allowed)s.") % {"current": current, "allowed": allowed}
                ]
            },
            status=409,
        )


def refuse_if_finished(status: str, what: str) -> None:
    """Work on a resolved or closed ticket is refused: it must be reopened first."""
    if status in (Status.RESOLVED, Status.CLOSED):
        raise ActionRefused(
            _("The ticket is %(status)s; reopen it before you %(what)s.") % {"status": status, "what": what},
            errors={"status": [_("The ticket is %(status)s.") % {"status": status}]},
            status=409,
        )
