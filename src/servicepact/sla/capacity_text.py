"""The text form of ``servicepact capacity``: per team, a grid of agents scheduled (required) by hour and weekday."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def render_capacity(result: Mapping[str, Any]) -> str:
    lines = [
        f"Capacity of contract {result['contract']} (version {result['version']} in force), "
        f"{result['from']} to {result['to']}",
        f"service level {result['service_level']:g}, maximum occupancy {result['max_occupancy']:g}, "
        f"shrinkage {result['shrinkage']:g}",
    ]
    by_team: dict[str, dict[tuple[int, int], Mapping[str, Any]]] = {}
    for row in result["rows"]:
        by_team.setdefault(row["team"], {})[(row["weekday"], row["hour"])] = row
    for team, cells in by_team.items():
        targets = {row["target_s"] for row in cells.values()}
        arrivals = sum(row["arrivals_per_hour"] for row in cells.values())
        lines += [
            "",
            f"Team {team}: {arrivals:.2f} arrivals in a mean week, answer within "
            f"{', '.join(str(t) + 's' for t in sorted(t for t in targets if t is not None)) or '-'}",
            "agents scheduled (required) by hour, in the team's time zone",
            "hour  " + "".join(f"{name:>9}" for name in WEEKDAY_NAMES),
        ]
        for hour in range(24):
            cells_text = []
            for weekday in range(1, 8):
                row = cells[(weekday, hour)]
                cells_text.append(
                    f"{row['agents_scheduled']:>4} ({row['agents_required']:>2})"
                    if row["agents_required"]
                    else f"{'.':>9}"
                )
            lines.append(f"{hour:02d}:00" + " " + "".join(cells_text))
    return "\n".join(lines) + "\n"
