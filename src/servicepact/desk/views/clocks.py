"""The SLA clocks panel: every clock of the ticket computed now from its event log, in the viewer's time zone,
with how its elapsed time was counted, the contract's rule for priority changes, and the restatements.

Everyone who sees the ticket sees the contract's clocks; its internal clocks (OLA, underpinning contracts)
only the people ``permissions.clocks`` names. Restatements and the form to make one are for the people
the permission predicates name.
"""

import logging
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact import permissions
from servicepact.accounts.models import Team, User
from servicepact.desk.models import Ticket
from servicepact.desk.views.clock_segments import SegmentList, segment_list
from servicepact.desk.views.restatement_rows import RestatementView, restatement_views
from servicepact.sla.contract import ContractError
from servicepact.sla.contract_model import OLA_CLOCK_PREFIX
from servicepact.slm.explain import ClockExplanation, ticket_clocks
from servicepact.slm.forms import RestateForm

logger = logging.getLogger(__name__)

# Response first, resolution, update, then the OLA clocks by name.
CLOCK_ORDER = {"response": 0, "resolution": 1, "update": 2}
# A meter turns amber from this share of the target on.
NEAR_PERCENT = 75
PRIORITY_RULES = {
    "retroactive": gettext_lazy("priority changes apply from the start"),
    "restart": gettext_lazy("a priority change restarts the clock"),
    "split": gettext_lazy("each priority counts for its own stretch"),
}
PRIORITY_RULE_DETAILS = {
    "retroactive": gettext_lazy(
        "The target and calendar of the priority in force at the end count for the clock's whole life."
    ),
    "restart": gettext_lazy(
        "After a change the clock counts afresh from the change, against the new priority's target."
    ),
    "split": gettext_lazy(
        "Each stretch uses up a share of the target of the priority in force during it, "
        "counted in that priority's calendar."
    ),
}


@dataclass
class ClockCard:
    clock: str
    label: str
    state: str
    state_label: str
    priority: str
    calendar: str
    target: str
    elapsed: str
    used_percent: int
    due_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    priority_rule: str
    priority_rule_text: str
    priority_rule_detail: str
    segments: SegmentList
    team: str = ""  # an OLA clock's team, by name

    @property
    def meter_width(self) -> int:
        return min(100, self.used_percent)

    @property
    def meter(self) -> str:
        if self.used_percent > 100 or self.state == "breached":
            return "over"
        # A stopped clock within its target is done: amber only warns while there is time to act.
        return "near" if self.is_open and self.used_percent >= NEAR_PERCENT else "ok"

    @property
    def is_open(self) -> bool:
        return self.state in ("running", "paused")


@dataclass
class ClockPanel:
    clocks: list[ClockCard]
    zone: str  # the viewer's IANA zone, e.g. "Asia/Shanghai"
    zone_abbreviation: str  # as of now, e.g. "CST"
    computed_at: datetime
    problem: str = ""  # why the clocks could not be computed, if they could not
    restatements: list[RestatementView] = field(default_factory=list)
    shows_restatements: bool = False
    restate_form: RestateForm | None = None
    restate_open: bool = False  # the form carries errors: shown expanded


def viewer_zone(user: User) -> zoneinfo.ZoneInfo:
    """The person's own time zone; UTC when it is missing or unknown to the IANA database."""
    try:
        return zoneinfo.ZoneInfo(getattr(user, "timezone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def clock_panel(
    ticket: Ticket, viewer: User, *, at: datetime | None = None, restate_form: RestateForm | None = None
) -> ClockPanel:
    """The ticket's clocks at ``at`` (default now) for ``viewer``; ``restate_form`` is a refused, bound form."""
    zone = viewer_zone(viewer)
    computed_at = timezone.now() if at is None else at
    panel = ClockPanel([], zone.key, computed_at.astimezone(zone).strftime("%Z"), computed_at.astimezone(zone))
    try:
        explained = ticket_clocks(ticket, zone, at=at)
    except (ContractError, KeyError, ValueError) as problem:
        # A pinned version that no longer loads must not take the page down; the stored clocks stay in queues.
        logger.warning("clocks of %s could not be explained: %s", ticket.number, problem)
        panel.problem = _("The clocks could not be computed: %(problem)s") % {"problem": problem}
    else:
        sight = permissions.clock_sight(viewer, ticket)
        explained = [clock for clock in explained if sight.shows(clock.clock)]
        teams = _ola_team_names(explained, viewer)
        panel.clocks = sorted((_card(clock, teams) for clock in explained), key=_order)
    panel.shows_restatements = permissions.can_see_restatements(viewer, ticket)
    if panel.shows_restatements:
        panel.restatements = restatement_views(ticket, viewer, zone)
    if permissions.can_restate(viewer, ticket):
        panel.restate_form = restate_form or RestateForm(ticket=ticket)
        panel.restate_open = restate_form is not None
    return panel


def _order(card: ClockCard) -> tuple:
    return (CLOCK_ORDER.get(card.clock, len(CLOCK_ORDER)), card.clock)


def _ola_team_names(explained: list[ClockExplanation], viewer: User) -> dict[str, str]:
    slugs = {clock.clock[len(OLA_CLOCK_PREFIX) :] for clock in explained if clock.clock.startswith(OLA_CLOCK_PREFIX)}
    return dict(Team.objects.visible_to(viewer).filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}


def _card(clock: ClockExplanation, teams: dict[str, str]) -> ClockCard:
    team = ""
    label = clock.label
    if clock.clock.startswith(OLA_CLOCK_PREFIX):
        slug = clock.clock[len(OLA_CLOCK_PREFIX) :]
        team = teams.get(slug, slug)
        label = _("OLA · %(team)s") % {"team": team}
    rule = clock.on_priority_change
    return ClockCard(
        clock=clock.clock,
        label=label,
        state=clock.state,
        state_label=clock.state_label,
        priority=clock.priority,
        calendar=clock.calendar,
        target=clock.target,
        elapsed=clock.elapsed,
        used_percent=clock.used_percent,
        due_at=clock.due_at,
        breached_at=clock.breached_at,
        stopped_at=clock.stopped_at,
        priority_rule=rule,
        priority_rule_text=str(PRIORITY_RULES[rule]),
        priority_rule_detail=str(PRIORITY_RULE_DETAILS[rule]),
        segments=segment_list(clock.segments),
        team=team,
    )
