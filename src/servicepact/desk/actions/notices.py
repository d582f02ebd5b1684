"""Who hears of a ticket's change: messages queued in the outbox, in the action's transaction.

Only public content goes out: internal notes and private attachments are never mailed. The person who
made the change is not told of it.
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.desk.models import Ticket
from servicepact.notify.actions import enqueue_notification
from servicepact.notify.notices import post_notices


def tell(
    ticket: Ticket, *, recipients: Iterable[User | str | None], actor: User, what: str, body: str, at: datetime
) -> None:
    """Queue one message about ``ticket`` to ``recipients`` (people or team addresses; blanks skipped), and
    post the people among them a notice in the service (the header's bell)."""
    recipients = list(recipients)
    post_notices(
        [recipient for recipient in recipients if isinstance(recipient, User)],
        text=f"{ticket.number} {ticket.title}: {what}",
        ticket=ticket,
        actor=actor,
        at=at,
    )
    own = (actor.email or "").lower()
    addresses = []
    for recipient in recipients:
        address = recipient.email if isinstance(recipient, User) else recipient
        if address and address.lower() != own:
            addresses.append(address)
    if not addresses:
        return
    subject = _("[%(number)s] %(title)s: %(what)s") % {"number": ticket.number, "title": ticket.title, "what": what}
    # No link: actions run without a request, and page addresses belong to the web layer.
    footer = _("Ticket %(number)s, priority %(priority)s.") % {"number": ticket.number, "priority": ticket.priority}
    enqueue_notification(recipients=addresses, subject=subject, body=f"{body}\n\n{footer}\n", ticket=ticket, at=at)


def watchers(ticket: Ticket) -> list[str]:
    return list(ticket.watchers.values_list("email", flat=True))


def queue_address(ticket: Ticket) -> str:
    """The address of the team holding the ticket, if it has one."""
    return ticket.team.email if ticket.team_id else ""
