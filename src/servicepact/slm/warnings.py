"""Firing breach warnings: a ``clock_warning`` event in the ticket's log and a message to each person.

Called by the sweep with the ticket row locked; the caller records the fired thresholds on the clock's
row in the same transaction, which is what makes each warning fire exactly once.
"""

import zoneinfo
from datetime import datetime

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.accounts.models import Team, User
from servicepact.desk.actions.recording import append
from servicepact.desk.models import EventType, Ticket, TicketEvent
from servicepact.notify.actions import enqueue_notification
from servicepact.notify.notices import post_notices
from servicepact.notify.phrases import Phrase
from servicepact.oncall.actions import page_for_warning
from servicepact.permissions import clock_sight
from servicepact.sla.clocks import ClockState as KernelClock
from servicepact.sla.contract_model import OLA_CLOCK_PREFIX
from servicepact.sla.timefmt import format_instant
from servicepact.slm.durations import human_duration
from servicepact.slm.evaluation import as_datetime
from servicepact.slm.explain import CLOCK_NAMES
from servicepact.slm.recipients import people_for_roles
from servicepact.slm.thresholds import Threshold


def fire_warning(ticket: Ticket, clock: KernelClock, threshold: Threshold, at: datetime) -> TicketEvent:
    """Append the warning to the locked ticket's log and queue a message to everyone it concerns.

    The caller saves the ticket (its log's tail moved). A warning about an internal clock (OLA,
    underpinning contract) goes only to the people who may see that clock, whatever roles the contract
    names (``permissions.clocks``).
    """
    people = [
        person
        for person in people_for_roles(ticket, threshold.notify, team_slug=clock.team)
        if clock_sight(person, ticket).shows(clock.clock)
    ]
    percent = round(threshold.share * 100)
    page = None
    if "on_call" in threshold.notify:
        page = page_for_warning(ticket, clock.team, clock.clock, threshold.key, percent, threshold.is_breach, at)
    event = append(
        ticket,
        EventType.CLOCK_WARNING,
        at=at,
        actor=None,
        public=False,
        data={
            "clock": clock.clock,
            "threshold": threshold.key,
            "percent": percent,
            "breach": threshold.is_breach,
            "reached_at": format_instant(threshold.reached_at),
            "priority": clock.priority,
            "elapsed_s": clock.elapsed_s,
            "target_s": clock.target_s,
            "due_at": None if clock.due_at is None else format_instant(clock.due_at),
            "roles": list(threshold.notify),
            "notified": [person.email for person in people],
            **({"page": page.pk} if page is not None else {}),
        },
    )
    name = clock_name(clock)
    for person in people:
        _notify(person, ticket, clock, name, threshold, percent, at)
    values = {"number": ticket.number, "clock": name, "percent": percent, "priority": clock.priority}
    if threshold.is_breach:
        notice = Phrase(gettext_lazy("%(number)s: %(clock)s clock breached (%(priority)s)"), **values)
    else:
        notice = Phrase(gettext_lazy("%(number)s: %(percent)d%% of the %(clock)s clock used (%(priority)s)"), **values)
    post_notices(people, text=notice, ticket=ticket, at=at)
    return event


def clock_name(clock: KernelClock) -> str | Promise | Phrase:
    """The clock's name, rendered in each recipient's language: "Resolution", or "OLA · <team's name>"."""
    if clock.clock.startswith(OLA_CLOCK_PREFIX):
        slug = clock.clock[len(OLA_CLOCK_PREFIX) :]
        team = Team.objects.filter(slug=slug).values_list("name", flat=True).first()
        return Phrase(gettext_lazy("OLA · %(team)s"), team=team or slug)
    return CLOCK_NAMES.get(clock.clock, clock.clock)


def _notify(
    person: User,
    ticket: Ticket,
    clock: KernelClock,
    name: str | Promise | Phrase,
    threshold: Threshold,
    percent: int,
    at: datetime,
) -> None:
    """One message per person: in their language (the clock's name too), instants in their time zone."""
    zone = zoneinfo.ZoneInfo(person.timezone or "UTC")
    due = as_datetime(clock.due_at)
    with translation.override(person.language or "en"):
        values = {
            "number": ticket.number,
            "title": ticket.title,
            "clock": str(name),
            "percent": percent,
            "priority": clock.priority,
            "elapsed": human_duration(clock.elapsed_s),
            "target": human_duration(clock.target_s),
            "due": due.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if due else "-",
            "path": ticket.get_absolute_url(),
        }
        if threshold.is_breach:
            subject = _("%(number)s: %(clock)s clock breached (%(priority)s)") % values
            lead = _('The %(clock)s clock of %(number)s "%(title)s" passed its target at %(due)s.') % values
        else:
            subject = _("%(number)s: %(percent)d%% of the %(clock)s clock used (%(priority)s)") % values
            lead = (
                _(
                    'The %(clock)s clock of %(number)s "%(title)s" has used %(percent)d%% of its target; it is due at %(due)s.'
                )
                % values
            )
        details = _("Elapsed %(elapsed)s of %(target)s (priority %(priority)s).\nTicket: %(path)s") % values
    enqueue_notification(
        recipients=[person.email],
        subject=subject,
        body=f"{lead}\n\n{details}\n",
        ticket=ticket,
        at=at,
        key=f"clock-warning:{ticket.number}:{clock.clock}:{threshold.key}:{person.pk}",
    )
