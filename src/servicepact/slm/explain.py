"""How a ticket's clocks got where they are, for people: per clock its state and the stretches of its life
(running; paused and why; outside business hours; weekend; holiday and its name; closed date), instants
in the viewer's time zone, durations in words. The ticket page and the API render it.

The clocks are computed afresh at the given instant (default now), so a running clock shows its elapsed
time up to the moment the page is seen, not up to the ticket's last change.
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from servicepact.desk.eventlog import kernel_events
from servicepact.desk.models import Ticket
from servicepact.sla.clocks import ClockState as KernelClock
from servicepact.sla.clocks import Segment, explain_clock
from servicepact.slm.durations import human_duration
from servicepact.slm.evaluation import as_datetime, as_epoch, evaluate, pinned_contract

CLOCK_NAMES = {
    "response": pgettext_lazy("clock", "Response"),
    "resolution": pgettext_lazy("clock", "Resolution"),
    "update": pgettext_lazy("clock", "Update"),
}
STATE_NAMES = {
    "running": gettext_lazy("Running"),
    "paused": gettext_lazy("Paused"),
    "met": gettext_lazy("Met"),
    "breached": gettext_lazy("Breached"),
}
SEGMENT_NAMES = {
    "running": gettext_lazy("Counting"),
    "paused": gettext_lazy("Paused"),
    "outside_hours": gettext_lazy("Outside business hours"),
    "weekend": gettext_lazy("Weekend"),
    "holiday": gettext_lazy("Holiday"),
    "closed_date": gettext_lazy("Closed date"),
    "stopped": gettext_lazy("Stopped"),
}
STATUS_NAMES = {
    "new": gettext_lazy("new"),
    "assigned": gettext_lazy("assigned"),
    "in_progress": gettext_lazy("in progress"),
    "pending_customer": gettext_lazy("pending customer"),
    "pending_vendor": gettext_lazy("pending vendor"),
    "pending_problem": gettext_lazy("pending problem"),
    "resolved": gettext_lazy("resolved"),
    "closed": gettext_lazy("closed"),
}


@dataclass
class ExplainedSegment:
    start: datetime  # in the viewer's time zone
    end: datetime
    kind: str  # the kernel's: running, paused, outside_hours, weekend, holiday, closed_date, stopped
    reason: str  # the kernel's label: the status paused on, the holiday's name, ...
    label: str  # for people: "Paused (pending customer)", "Holiday: Karfreitag"
    duration_s: int
    duration: str

    @property
    def counts(self) -> bool:
        """Whether this stretch adds to the clock's elapsed time."""
        return self.kind == "running"


@dataclass
class ClockExplanation:
    clock: str
    label: str
    state: str
    state_label: str
    priority: str
    calendar: str
    target_s: int
    elapsed_s: int
    target: str
    elapsed: str
    due_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    computed_at: datetime
    segments: list[ExplainedSegment] = field(default_factory=list)
    # The contract's rule for priority changes on this clock: retroactive, restart or split.
    on_priority_change: str = "retroactive"
    team: str | None = None  # an OLA clock's team (slug)

    @property
    def used_percent(self) -> int:
        return 100 if not self.target_s else round(100 * self.elapsed_s / self.target_s)


def ticket_clocks(ticket: Ticket, viewer_tz: str | tzinfo, at: datetime | None = None) -> list[ClockExplanation]:
    """Every clock of ``ticket`` at ``at`` (default now, never before the ticket's last event), explained.

    ``viewer_tz`` is an IANA name ("Asia/Shanghai") or a tzinfo; a bad name raises ValueError naming it.
    """
    zone = _zone(viewer_tz)
    at = max(at or timezone.now(), ticket.updated_at)
    contract = pinned_contract(ticket)
    events = kernel_events(ticket)
    explained = []
    for clock in evaluate(contract, events, at):
        segments = explain_clock(contract, events, as_epoch(at), clock.clock)
        explained.append(_explained(clock, segments, zone, at, _priority_rule(contract, clock.clock)))
    return explained


def _priority_rule(contract, clock: str) -> str:
    # The kernel measures OLA clocks with the retroactive rule; the contract names the rule of the others.
    definition = contract.clocks.get(clock)
    return definition.on_priority_change if definition is not None else "retroactive"


def _zone(viewer_tz: str | tzinfo) -> tzinfo:
    if not isinstance(viewer_tz, str):
        return viewer_tz
    try:
        return zoneinfo.ZoneInfo(viewer_tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"viewer_tz: {viewer_tz!r} is not a time zone of the IANA database") from None


def _local(second: int | None, zone: tzinfo) -> datetime | None:
    value = as_datetime(second)
    return None if value is None else value.astimezone(zone)


def _explained(
    clock: KernelClock, segments: list[Segment], zone: tzinfo, at: datetime, on_priority_change: str
) -> ClockExplanation:
    if clock.clock.startswith("ola:"):
        label = _("OLA %(team)s") % {"team": clock.team}
    else:
        label = str(CLOCK_NAMES.get(clock.clock, clock.clock))
    return ClockExplanation(
        clock=clock.clock,
        label=label,
        state=clock.state,
        state_label=str(STATE_NAMES[clock.state]),
        priority=clock.priority,
        calendar=clock.calendar,
        target_s=clock.target_s,
        elapsed_s=clock.elapsed_s,
        target=human_duration(clock.target_s),
        elapsed=human_duration(clock.elapsed_s),
        due_at=_local(clock.due_at, zone),
        breached_at=_local(clock.breached_at, zone),
        stopped_at=_local(clock.stopped_at, zone),
        computed_at=at.astimezone(zone),
        segments=[_segment(segment, zone) for segment in segments],
        on_priority_change=on_priority_change,
        team=clock.team,
    )


def _segment(segment: Segment, zone: tzinfo) -> ExplainedSegment:
    name = str(SEGMENT_NAMES.get(segment.kind, segment.kind))
    if segment.kind in ("paused", "stopped") and segment.label:
        label = _("%(name)s (%(why)s)") % {"name": name, "why": STATUS_NAMES.get(segment.label, segment.label)}
    elif segment.kind == "holiday" and segment.label:
        label = _("%(name)s: %(holiday)s") % {"name": name, "holiday": segment.label}
    else:
        label = name
    return ExplainedSegment(
        start=_local(segment.start, zone),
        end=_local(segment.end, zone),
        kind=segment.kind,
        reason=segment.label,
        label=label,
        duration_s=segment.end - segment.start,
        duration=human_duration(segment.end - segment.start),
    )
