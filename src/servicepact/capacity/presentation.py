"""The capacity rows as heat maps: per team, a grid of hours (rows) by weekday (columns)."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
LEVELS = 6  # heat-0 (no one needed) .. heat-5 (the team's peak)


@dataclass
class Cell:
    row: dict[str, Any]
    level: int

    @property
    def short(self) -> bool:
        """Fewer people rostered than the hour needs scheduled."""
        rostered = self.row.get("agents_rostered")
        return rostered is not None and rostered < self.row["agents_scheduled"]


@dataclass
class HeatMap:
    team: str
    name: str
    zone: str
    hours: list[tuple[int, list[Cell]]] = field(default_factory=list)
    peak: int = 0  # most agents scheduled in any hour
    agent_hours: int = 0  # agents scheduled summed over the week's hours
    arrivals: float = 0.0  # arrivals in a mean week
    target_s: int | None = None
    rostered_hours: float | None = None  # people on shift summed over the week's hours; None: no rosters


def heat_maps(rows: list[dict[str, Any]], names: dict[str, str], zones: dict[str, str], peak: int = 0) -> list[HeatMap]:
    """One heat map per team in the rows' order; ``peak`` scales the colours (the larger of two maps' peaks,
    so that a draft's map and the one in force share a scale)."""
    by_team: dict[str, dict[tuple[int, int], dict[str, Any]]] = {}
    for row in rows:
        by_team.setdefault(row["team"], {})[(row["weekday"], row["hour"])] = row
    maps = []
    for team, cells in by_team.items():
        scheduled = [row["agents_scheduled"] for row in cells.values()]
        scale = max(peak, max(scheduled))
        heat = HeatMap(team, names.get(team, team), zones.get(team, ""))
        heat.peak, heat.agent_hours = max(scheduled), sum(scheduled)
        heat.arrivals = round(sum(row["arrivals_per_hour"] for row in cells.values()), 2)
        rostered = [row.get("agents_rostered") for row in cells.values()]
        heat.rostered_hours = None if None in rostered else round(sum(rostered), 1)
        heat.target_s = next((row["target_s"] for row in cells.values() if row["target_s"] is not None), None)
        for hour in range(24):
            line = []
            for weekday in range(1, 8):
                row = cells[(weekday, hour)]
                level = 0 if not row["agents_scheduled"] else 1 + (LEVELS - 2) * row["agents_scheduled"] // scale
                line.append(Cell(row, min(level, LEVELS - 1)))
            heat.hours.append((hour, line))
        maps.append(heat)
    return maps


def peak_of(rows: list[dict[str, Any]]) -> int:
    return max((row["agents_scheduled"] for row in rows), default=0)
