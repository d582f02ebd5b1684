"""Pages: starting one (the team's escalation policy frozen onto it) and answering it (acknowledge, resolve).

The steps themselves are in ``oncall.escalation``; the first runs as the page starts, in the same
transaction, and each later one by the timer queued when the transaction that set it commits.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team, User
from servicepact.desk.models import Ticket
from servicepact.oncall.escalation import frozen_steps, notice, run_step, tell_webhooks
from servicepact.oncall.models import Page, PageStatus
from servicepact.oncall.schedule import has_rotation
from servicepact.oncall.tasks import schedule_next_step
from servicepact.permissions.oncall import can_answer_page, can_start_page
from servicepact.refusals import ActionRefused

TITLE_MAX = Page._meta.get_field("title").max_length


def refuse(message: str, field: str, status: int = 422):
    raise ActionRefused(message, errors={field: [message]}, status=status)


def start_page(
    *,
    team: Team,
    title: str,
    details: str = "",
    ticket: Ticket | None = None,
    actor: User | None = None,
    key: str = "",
    at: dt.datetime | None = None,
) -> Page:
    """Page ``team``: the first step at once, the rest by the timer. ``actor`` None: the service pages
    (a breach warning); a person must be staff of the team's organization. With ``key``, a second start
    with the same key returns the first page."""
    if actor is not None and not can_start_page(actor, team):
        raise PermissionDenied(_("You may not page %(team)s.") % {"team": team.name})
    title = " ".join((title or "").split())
    if not title:
        refuse(_("title is required."), "title")
    title = title[:TITLE_MAX]
    at = at or timezone.now()
    with transaction.atomic():
        if key:
            existing = Page.objects.filter(key=key).first()
            if existing is not None:
                return existing
        policy_name, steps = frozen_steps(team)
        page = Page.objects.create(
            team=team,
            ticket=ticket,
            title=title,
            details=(details or "").strip(),
            key=key,
            policy_name=policy_name,
            steps=steps,
            next_step=0,
            next_step_at=at,
            created_at=at,
            created_by=actor,
        )
        tell_webhooks(page, "triggered")
        run_step(page, at)
        transaction.on_commit(lambda: schedule_next_step(page))
    return page


def acknowledge_page(page: Page, *, actor: User, at: dt.datetime | None = None) -> Page:
    """Someone has it: no further step is paged."""
    if not can_answer_page(actor, page):
        raise PermissionDenied(_("You may not answer this page."))
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        at = at or timezone.now()
        if locked.status == PageStatus.RESOLVED:
            refuse(_("The page is resolved already."), "status", 409)
        if locked.status == PageStatus.ACKNOWLEDGED:
            who = locked.acknowledged_by.full_name if locked.acknowledged_by else "?"
            refuse(_("The page was acknowledged already, by %(who)s.") % {"who": who}, "status", 409)
        locked.status = PageStatus.ACKNOWLEDGED
        locked.acknowledged_at, locked.acknowledged_by = at, actor
        locked.next_step_at = None
        locked.save()
        notice(locked, max(locked.next_step - 1, 0), actor, "acknowledged", at)
        tell_webhooks(locked, "acknowledged")
    page.refresh_from_db()
    return page


def resolve_page(page: Page, *, actor: User, at: dt.datetime | None = None) -> Page:
    """The cause is dealt with (a triggered page may be resolved at once; that acknowledges it too)."""
    if not can_answer_page(actor, page):
        raise PermissionDenied(_("You may not answer this page."))
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        at = at or timezone.now()
        if locked.status == PageStatus.RESOLVED:
            refuse(_("The page is resolved already."), "status", 409)
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = at, actor
        locked.status = PageStatus.RESOLVED
        locked.resolved_at, locked.resolved_by = at, actor
        locked.next_step_at = None
        locked.save()
        notice(locked, max(locked.next_step - 1, 0), actor, "resolved", at)
        tell_webhooks(locked, "resolved")
    page.refresh_from_db()
    return page


def page_for_warning(
    ticket: Ticket, team_slug: str | None, clock: str, threshold: str, percent: int, breach: bool, at: dt.datetime
) -> Page | None:
    """A breach warning that names ``on_call``: page the person on call for the team (an OLA's team, or the
    ticket's) at that instant, once per ticket, clock and threshold; None when the team has no rotation."""
    team = Team.objects.filter(slug=team_slug).first() if team_slug else ticket.team
    if team is None or not has_rotation(team.pk):
        return None
    values = {"number": ticket.number, "clock": clock, "percent": percent, "priority": ticket.priority}
    if breach:
        title = _("%(number)s: %(clock)s clock breached (%(priority)s)") % values
    else:
        title = _("%(number)s: %(percent)d%% of the %(clock)s clock used (%(priority)s)") % values
    return start_page(
        team=team,
        title=title,
        details=ticket.title,
        ticket=ticket,
        key=f"clock-warning:{ticket.pk}:{clock}:{threshold}",
        at=at,
    )
