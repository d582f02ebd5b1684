"""Who hears of a ticket's change: messages queued in the outbox, in the action's transaction.

Only public content goes out: internal notes and private attachments are never mailed. The person who
made the change is not told of it.
"""

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.desk.models import Ticket
from servicepact.notify.actions import enqueue_notification
from servicepact.notify.notices import post_notices
from servicepact.notify.phrases import Phrase


def tell(
    ticket: Ticket,
    *,
    recipients: Iterable[User | str | None],
    actor: User,
    what: str | Phrase | Promise,
    body: str | Phrase | Promise,
    at: datetime,
) -> None:
    """Queue one message about ``ticket`` to ``recipients`` (people or team addresses; blanks skipped), and
    post the people among them a notice in the service (the header's bell).

    ``what`` and ``body`` are rendered for each recipient in their language: the service's own words come
    as a ``Phrase`` or a lazy translation, a person's words (a reply) as a plain string, sent as written."""
    recipients = list(recipients)
    post_notices(
        [recipient for recipient in recipients if isinstance(recipient, User)],
        text=Phrase("%(number)s %(title)s: %(what)s", number=ticket.number, title=ticket.title, what=what),
        ticket=ticket,
        actor=actor,
        at=at,
    )
    own = (actor.email or "").lower()
    told: set[str] = set()
    for recipient in recipients:
        address = recipient.email if isinstance(recipient, User) else recipient
        if not address or address.lower() == own or address.lower() in told:
            continue
        told.add(address.lower())
        # One message each, in the recipient's language and zone (a team's address: the service's defaults).
        language = recipient.language if isinstance(recipient, User) else settings.LANGUAGE_CODE
        zone = recipient.timezone if isinstance(recipient, User) else settings.TIME_ZONE
        with translation.override(language), timezone.override(ZoneInfo(zone)):
            subject = _("[%(number)s] %(title)s: %(what)s") % {
                "number": ticket.number,
                "title": ticket.title,
                "what": str(what),
            }
            footer = _("Ticket %(number)s, priority %(priority)s, changed %(when)s.") % {
                "number": ticket.number,
                "priority": ticket.priority,
                "when": formats.date_format(timezone.localtime(at), "DATETIME_FORMAT") + f" ({zone})",
            }
            link = _("Open it: %(url)s") % {"url": ticket_link(ticket)}
            text = str(body)
        enqueue_notification(
            recipients=[address], subject=subject, body=f"{text}\n\n{footer}\n{link}\n", ticket=ticket, at=at
        )


def ticket_link(ticket: Ticket) -> str:
    """The ticket's page at the address people reach the service at (SERVICEPACT_BASE_URL)."""
    return settings.SERVICEPACT_BASE_URL.rstrip("/") + reverse("desk:ticket", args=[ticket.number])


def watchers(ticket: Ticket) -> list[str]:
    return list(ticket.watchers.values_list("email", flat=True))


def queue_address(ticket: Ticket) -> str:
    """The address of the team holding the ticket, if it has one."""
    return ticket.team.email if ticket.team_id else ""
