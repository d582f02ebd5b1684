"""The SLA clocks panel: each clock's state, elapsed against target, due instant and how it got there."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import pgettext_lazy

from servicepact.desk.models import Ticket
from servicepact.slm.models import ClockStateKind

CLOCK_LABELS = {"response": pgettext_lazy("clock", "Response"), "resolution": pgettext_lazy("clock", "Resolution")}
STATE_LABELS = dict(ClockStateKind.choices)

# Response first, resolution second, then any other clock of the contract (OLAs), by name.
CLOCK_ORDER = {"response": 0, "resolution": 1}


@dataclass
class ClockView:
    clock: str
    state: str
    priority: str
    calendar: str
    target_s: int
    elapsed_s: int
    due_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    segments: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(CLOCK_LABELS.get(self.clock, self.clock))

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))

    @property
    def used_percent(self) -> int:
        if not self.target_s:
            return 100
        return min(100, round(100 * self.elapsed_s / self.target_s))

    @property
    def meter(self) -> str:
        if self.elapsed_s > self.target_s:
            return "over"
        return "near" if self.used_percent >= 75 else "ok"


def clock_panel(ticket: Ticket) -> list[ClockView]:
    """The ticket's clocks as last stored by the live service."""
    rows = sorted(ticket.clocks.all(), key=lambda row: (CLOCK_ORDER.get(row.clock, 2), row.clock))
    return [
        ClockView(row.clock, row.state, row.priority, row.calendar, row.target_s, row.elapsed_s,
                  row.due_at, row.breached_at, row.stopped_at)
        for row in rows
    ]
