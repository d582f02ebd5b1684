"""The steps of a page: who each step pages, and the timer's check that it is still the step's turn.

A step is run under the page row's lock and only if it is still the page's turn (the page is triggered,
``next_step`` is the step the timer was set for, and its instant has come), and each person is told of a
step once (``PageNotice`` is unique per page, step and person): a timer that fires twice, or two workers
that fire it at once, page nobody twice. Each step mails the people it pages through the outbox (with a
signed link to answer the page) and tells the team's organization's webhooks. The caller queues the timer
of the next step once its transaction commits (``tasks.schedule_next_step``).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team, User
from servicepact.notify.actions import enqueue_notification
from servicepact.notify.recipients import recipients_of
from servicepact.oncall.links import absolute_link
from servicepact.oncall.models import EscalationPolicy, Page, PageNotice, PageStatus, StepTarget
from servicepact.oncall.schedule import PRIMARY, SECONDARY, on_call, team_leads
from servicepact.webhooks.actions import emit, of_organizations
from servicepact.webhooks.payloads import page_payload

# Without a policy: the person on call, then the team leads after 15 minutes.
DEFAULT_STEPS = [
    {"target": StepTarget.ON_CALL, "delay_minutes": 0},
    {"target": StepTarget.TEAM_LEAD, "delay_minutes": 15},
]


def run_due_step(page_id: int, step: int, now: dt.datetime | None = None) -> Page | None:
    """The timer: run step ``step`` of the page if it is still its turn; None (and nothing done) if not."""
    now = now or timezone.now()
    with transaction.atomic():
        page = Page.objects.select_for_update().filter(pk=page_id).first()
        if page is None or page.status != PageStatus.TRIGGERED or page.next_step != step:
            return None
        if page.next_step_at is None or page.next_step_at > now:
            return None
        tell_webhooks(page, "escalated")
        run_step(page, now)
    return page


def due_pages(now: dt.datetime | None = None) -> list[tuple[int, int]]:
    now = now or timezone.now()
    return list(
        Page.objects.filter(status=PageStatus.TRIGGERED, next_step_at__lte=now).values_list("pk", "next_step")[:500]
    )


def run_step(page: Page, at: dt.datetime) -> None:
    """Page the people of the page's current step (the row is locked or new), then set the next turn.

    A step that finds nobody (no rotation, nobody on call) is logged and the next one follows at once."""
    while page.next_step < len(page.steps):
        number = page.next_step
        step = page.steps[number]
        people = _people(page.team, step["target"], at)
        reached = [person for person in people if notice(page, number, person, "paged", at)]
        for person in reached:
            _mail(page, person, number, at)
        if not people:
            notice(page, number, None, "nobody", at)
        page.next_step = number + 1
        if page.next_step < len(page.steps):
            page.next_step_at = at + dt.timedelta(minutes=page.steps[page.next_step]["delay_minutes"])
        else:
            page.next_step_at = None
        if people:
            break
    page.save(update_fields=["next_step", "next_step_at"])


def _people(team: Team, target: str, at: dt.datetime) -> list[User]:
    if target == StepTarget.ON_CALL:
        found = [on_call(team, at, PRIMARY)]
    elif target == StepTarget.SECONDARY:
        found = [on_call(team, at, SECONDARY)]
    else:
        found = team_leads(team)
    return [person for person in found if person is not None and person.email]


def notice(page: Page, step: int, person: User | None, what: str, at: dt.datetime) -> bool:
    """Log that ``person`` was told ``what`` at ``step``; False if they were already (nothing written)."""
    _row, created = PageNotice.objects.get_or_create(
        page=page, step=step, person=person, what=what, defaults={"at": at}
    )
    return created


def _mail(page: Page, person: User, step: int, at: dt.datetime) -> None:
    """One message to the paged person, in their language, the page's start in their zone; the page's
    details as written."""
    for recipient in recipients_of([person]):
        with recipient.speaking():
            values = {
                "team": page.team.name,
                "title": page.title,
                "ticket": page.ticket.number if page.ticket_id else "-",
                "started": recipient.moment(page.created_at),
                "step": step + 1,
                "link": absolute_link(page.pk, person.pk),
            }
            subject = _("Page for %(team)s: %(title)s") % values
            body = (
                _(
                    "You are paged (step %(step)d) for %(team)s: %(title)s\n"
                    "Ticket: %(ticket)s. Started %(started)s.\n\n"
                    "Acknowledge or resolve it here: %(link)s\n"
                    "Until it is acknowledged, the next step of the escalation policy follows."
                )
                % values
            )
        if page.details:
            body += "\n\n" + page.details
        enqueue_notification(
            recipients=[recipient.address],
            subject=subject,
            body=body + "\n",
            ticket=page.ticket,
            at=at,
            key=f"page:{page.pk}:{step}:{person.pk}",
        )


def tell_webhooks(page: Page, what: str) -> None:
    emit(of_organizations([page.team.organization_id]), f"page.{what}", lambda _who: page_payload(page, what))


def frozen_steps(team: Team) -> tuple[str, list[dict]]:
    policy = EscalationPolicy.objects.filter(team=team).first()
    if policy is None:
        return "", [dict(step) for step in DEFAULT_STEPS]
    steps = [{"target": s.target, "delay_minutes": s.delay_minutes} for s in policy.steps.order_by("position")]
    return policy.name, steps or [dict(step) for step in DEFAULT_STEPS]
