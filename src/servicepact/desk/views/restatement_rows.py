"""A ticket's restatements as the clock panel lists them: who, when, which version, why, and each clock under
the pinned version beside the same clock under the restating version.
"""

from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team, User
from servicepact.desk.models import Ticket
from servicepact.permissions import clock_sight
from servicepact.sla.contract_model import OLA_CLOCK_PREFIX
from servicepact.slm.durations import human_duration
from servicepact.slm.explain import CLOCK_NAMES, STATE_NAMES
from servicepact.slm.models import Restatement

# What makes two clock states differ for the reader; the ticket field is the same on both sides.
COMPARED = ("priority", "calendar", "target_s", "elapsed_s", "state", "breached_at", "due_at", "stopped_at")


@dataclass
class ClockCell:
    state: str
    state_label: str
    priority: str
    calendar: str
    elapsed: str
    target: str
    breached_at: datetime | None
    due_at: datetime | None
    stopped_at: datetime | None


@dataclass
class ComparisonRow:
    clock: str
    label: str
    original: ClockCell | None  # None: the clock does not exist under that version
    restated: ClockCell | None
    changed: bool


@dataclass
class RestatementView:
    id: int
    actor: User
    computed_at: datetime
    at: datetime
    version: int
    original_version: int
    version_status: str
    reason: str
    rows: list[ComparisonRow]

    @property
    def changes_anything(self) -> bool:
        return any(row.changed for row in self.rows)


def restatement_views(ticket: Ticket, viewer: User, zone: tzinfo) -> list[RestatementView]:
    """The ticket's restatements that ``viewer`` sees, newest first, instants in ``zone``, with the clocks
    they see (internal clocks only where ``permissions.clocks`` shows them): two queries however many."""
    restatements = list(
        Restatement.objects.visible_to(viewer)
        .filter(ticket=ticket)
        .select_related("actor", "contract_version", "original_version")
        .order_by("-computed_at", "-id")
    )
    sight = clock_sight(viewer, ticket)
    teams = _team_names(restatements, viewer)
    return [
        RestatementView(
            id=restatement.pk,
            actor=restatement.actor,
            computed_at=restatement.computed_at.astimezone(zone),
            at=restatement.at.astimezone(zone),
            version=restatement.contract_version.number,
            original_version=restatement.original_version.number,
            version_status=restatement.contract_version.get_status_display(),
            reason=restatement.reason,
            rows=comparison(_shown(restatement.original_clocks, sight), _shown(restatement.clocks, sight), zone, teams),
        )
        for restatement in restatements
    ]


def _shown(clocks: list[dict], sight) -> list[dict]:
    return [clock for clock in clocks if sight.shows(clock["clock"])]


def _team_names(restatements: list[Restatement], viewer: User) -> dict[str, str]:
    slugs = {
        clock["clock"][len(OLA_CLOCK_PREFIX) :]
        for restatement in restatements
        for clock in [*restatement.clocks, *restatement.original_clocks]
        if clock["clock"].startswith(OLA_CLOCK_PREFIX)
    }
    return dict(Team.objects.visible_to(viewer).filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}


def clock_label(clock: str, teams: dict[str, str]) -> str:
    if clock.startswith(OLA_CLOCK_PREFIX):
        slug = clock[len(OLA_CLOCK_PREFIX) :]
        return _("OLA · %(team)s") % {"team": teams.get(slug, slug)}
    return str(CLOCK_NAMES.get(clock, clock))


def comparison(original: list[dict], restated: list[dict], zone: tzinfo, teams: dict[str, str]) -> list[ComparisonRow]:
    """One row per clock of either side, in the order the pinned version lists them, new clocks after."""
    before = {clock["clock"]: clock for clock in original}
    after = {clock["clock"]: clock for clock in restated}
    names = list(before) + [name for name in after if name not in before]
    rows = []
    for name in names:
        old, new = before.get(name), after.get(name)
        changed = old is None or new is None or any(old.get(key) != new.get(key) for key in COMPARED)
        rows.append(ComparisonRow(name, clock_label(name, teams), _cell(old, zone), _cell(new, zone), changed))
    return rows


def _cell(clock: dict | None, zone: tzinfo) -> ClockCell | None:
    if clock is None:
        return None
    return ClockCell(
        state=clock["state"],
        state_label=str(STATE_NAMES.get(clock["state"], clock["state"])),
        priority=clock["priority"],
        calendar=clock["calendar"],
        elapsed=human_duration(clock["elapsed_s"]),
        target=human_duration(clock["target_s"]),
        breached_at=_instant(clock["breached_at"], zone),
        due_at=_instant(clock["due_at"], zone),
        stopped_at=_instant(clock["stopped_at"], zone),
    )


def _instant(text: str | None, zone: tzinfo) -> datetime | None:
    return None if text is None else parse_datetime(text).astimezone(zone)
