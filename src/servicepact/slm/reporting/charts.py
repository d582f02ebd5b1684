"""Small SVG line charts drawn on the server: a measure over periods against its target and baseline.

No script is needed to see them, they print in the PDF as they show on the page, and a test can read them.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 14, 34
AXIS_FONT = 10
# An upper estimate of a character's advance in the axis font, to keep period labels apart and inside.
CHAR_WIDTH = 0.64 * AXIS_FONT
LABEL_GAP = 10
# Lower ends of a ratio chart's axis: each splits the axis up to 100 % into four round steps.
RATIO_FLOORS = (0.8, 0.6, 0.4, 0.2, 0.0)
# A week or a day of the same year as the label before it is shown without the year: "2026-W40" "W41".
YEAR_AND_REST = re.compile(r"(\d{4})-(W\d{2}|\d{2}-\d{2})")


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # None: nothing to count in that period, a gap in the line


def line_chart(
    points: list[Point], *, target: float | None = None, baseline: float | None = None, title: str = ""
) -> SafeString:
    """The SVG markup of ``points`` as a line, with dashed target and dotted baseline lines."""
    known = [point.value for point in points if point.value is not None]
    references = [value for value in (target, baseline) if value is not None]
    low, high = _bounds(known + references)
    # Room on the right for half of the newest period's label (at most its full form), centred on the last point.
    right = max(RIGHT, _text_width(points[-1].label) / 2 + 4) if points else RIGHT
    plot_w, plot_h = WIDTH - LEFT - right, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return LEFT + index * step

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" class="trend-chart" aria-label="{escape(title)}">'
    ]
    for tick in range(5):
        value = low + (high - low) * tick / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - right:.1f}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e3e6ea"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" fill="#555">'
            f"{_tick_text(value, high)}</text>"
        )
    for index, label in period_axis([point.label for point in points], step):
        parts.append(
            f'<text class="period" x="{x(index):.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
            f'font-size="{AXIS_FONT}" fill="#555">{escape(label)}</text>'
        )
    if target is not None:
        parts.append(
            f'<line class="target" x1="{LEFT}" x2="{WIDTH - right:.1f}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="#1a7f37" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    if baseline is not None:
        parts.append(
            f'<line class="baseline" x1="{LEFT}" x2="{WIDTH - right:.1f}" y1="{y(baseline):.1f}" '
            f'y2="{y(baseline):.1f}" stroke="#9a6700" stroke-width="1.5" stroke-dasharray="2 3"/>'
        )
    for run in _runs(points):
        coordinates = " ".join(f"{x(index):.1f},{y(value):.1f}" for index, value in run)
        parts.append(f'<polyline class="series" points="{coordinates}" fill="none" stroke="#0b5cad" stroke-width="2"/>')
    for index, point in enumerate(points):
        if point.value is not None:
            missed = target is not None and point.value < target
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(point.value):.1f}" r="3.5" '
                f'fill="{"#cf222e" if missed else "#0b5cad"}"><title>{escape(point.label)}: '
                f"{point.value:g}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text inside was escaped above


def axis_labels(labels: list[str]) -> list[str]:
    """The periods' labels as the axis shows them: the year only where it is new."""
    shown, year = [], ""
    for label in labels:
        match = YEAR_AND_REST.fullmatch(label)
        if match and match[1] == year:
            shown.append(match[2])
        else:
            shown.append(label)
        year = match[1] if match else ""
    return shown


def period_axis(labels: list[str], step: float) -> list[tuple[int, str]]:
    """The (index, text) of the period labels to draw, ``step`` apart: every n-th, n the smallest that keeps
    neighbouring labels clear of each other, counted from the newest period so that it is always labelled."""
    for stride in range(1, len(labels) + 1):
        indices = [index for index in range(len(labels)) if (len(labels) - 1 - index) % stride == 0]
        texts = axis_labels([labels[index] for index in indices])
        widths = [_text_width(text) for text in texts]
        if all((left + right) / 2 + LABEL_GAP <= stride * step for left, right in zip(widths, widths[1:])):
            return list(zip(indices, texts))
    return []


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _bounds(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    if all(0 <= value <= 1 for value in values):
        # Ratios: up to 1, from a round floor enough below the lowest point to see the gap to the target.
        return next((floor for floor in RATIO_FLOORS if floor <= low - 0.02), 0.0), 1.0
    if low == high:
        return low - 1, high + 1
    margin = (high - low) * 0.1
    return low - margin, high + margin


def _tick_text(value: float, high: float) -> str:
    return f"{value * 100:.0f}%" if high <= 1 else f"{value:.0f}"


def _runs(points: list[Point]) -> list[list[tuple[int, float]]]:
    """Consecutive known values; a period with nothing to count breaks the line."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, point in enumerate(points):
        if point.value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((index, point.value))
    return [run for run in runs if run]
