"""Small SVG charts drawn on the server: measures over periods as lines, counts as bars.

No script is needed to see them, they print in the PDF as they show on the page, and a test can read them.
Each picture carries its own legend, scales to its container's width (a viewBox, no fixed size), names every
value in a ``<title>`` (the browser's tooltip) and shows it in a label drawn on hover (an SVG ``<set>`` on
the point's mouse events: no script, so the Content Security Policy allows it, and hidden in print), and
says everything it shows in its ``<desc>`` for screen readers.
"""

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 34, 34
LEGEND_Y = 14
AXIS_FONT = 10
TIP_FONT = 11
# An upper estimate of a character's advance in the axis font, to keep period labels apart and inside.
CHAR_WIDTH = 0.64 * AXIS_FONT
LABEL_GAP = 10
# Lower ends of a ratio chart's axis: each splits the axis up to 100 % into four round steps.
RATIO_FLOORS = (0.8, 0.6, 0.4, 0.2, 0.0)
# A week or a day of the same year as the label before it is shown without the year: "2026-W40" "W41".
YEAR_AND_REST = re.compile(r"(\d{4})-(W\d{2}|\d{2}-\d{2})")
# Series colours in order: distinguishable for the common kinds of colour blindness (Okabe-Ito, darkened).
PALETTE = ("#0b5cad", "#d55e00", "#1a7f37", "#8250df", "#b8860b", "#0a7e8c", "#cc79a7", "#57606a")
MISSED = "#cf222e"
TARGET_COLOUR, BASELINE_COLOUR = "#1a7f37", "#9a6700"
# Horizontal bars: one row of this height per category, its label in the margin on the left.
ROW_HEIGHT, MAX_LABEL_CHARS = 26, 28

# Ids that tie a point to its hover label; unique within a page however many charts it holds.
_chart_numbers = itertools.count(1)


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # None: nothing to count in that period, a gap in the line


@dataclass(frozen=True)
class Series:
    name: str
    points: list[Point]
    colour: str = ""
    # Where each value's page is: a bar or point becomes a link (the queue behind a count).
    links: list[str] = field(default_factory=list)


def ratio_text(value: float) -> str:
    """A ratio as a service level is read: one decimal, two near 100 % where one would round the gap away."""
    return f"{value * 100:.{2 if 0.99 <= value < 1 else 1}f} %"


def count_text(value: float) -> str:
    return f"{value:g}"


class _Canvas:
    """The picture's parts in drawing order, the hover labels last so that they lie above everything."""

    def __init__(self, title: str, height: int, width: int = WIDTH):
        self.number = next(_chart_numbers)
        self.title, self.height, self.width = title, height, width
        self.parts: list[str] = []
        self.tips: list[str] = []
        self.described: list[str] = []

    def hover(self, shape: str, text: str, x: float, y: float, link: str = "", beside: bool = False) -> None:
        """``shape`` (an SVG element's markup without its end) with ``text`` as its tooltip and hover label,
        drawn above (x, y), or ``beside`` it on the right (a horizontal bar's end), kept inside the picture."""
        index = len(self.tips)
        # No hyphen: in a SMIL begin value "chart1-0.mouseover" would read as an offset.
        ident = f"chart{self.number}p{index}"
        body = f'{shape} id="{ident}"><title>{escape(text)}</title></{shape.split()[0][1:]}>'
        if link:
            body = f'<a href="{escape(link)}">{body}</a>'
        self.parts.append(body)
        width = len(text) * 0.56 * TIP_FONT + 14
        left = min(max(x + 6 if beside else x - width / 2, 2), self.width - width - 2)
        top = max(y - 10 if beside else y - 30, 2)
        self.tips.append(
            f'<g class="tip" visibility="hidden" pointer-events="none">'
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="20" rx="3" fill="#1d2430" '
            f'fill-opacity="0.92"/><text class="tip-text" x="{left + width / 2:.1f}" y="{top + 14:.1f}" '
            f'text-anchor="middle" font-size="{TIP_FONT}" fill="#fff">{escape(text)}</text>'
            f'<set attributeName="visibility" to="visible" begin="{ident}.mouseover" end="{ident}.mouseout"/></g>'
        )

    def legend(self, entries: list[tuple[str, str, str]]) -> None:
        """Entries (kind, colour, text) in one row above the plot: kind "box", "line", "target" or "baseline"."""
        x = LEFT
        for kind, colour, text in entries:
            if kind == "box":
                swatch = f'<rect x="{x}" y="{LEGEND_Y - 8}" width="10" height="10" rx="2" fill="{colour}"/>'
            else:
                dashes = {"line": "", "target": ' stroke-dasharray="6 4"', "baseline": ' stroke-dasharray="2 3"'}[kind]
                swatch = (
                    f'<line x1="{x}" x2="{x + 18}" y1="{LEGEND_Y - 3}" y2="{LEGEND_Y - 3}" stroke="{colour}" '
                    f'stroke-width="2"{dashes}/>'
                )
            offset = 14 if kind == "box" else 22
            self.parts.append(
                f'<g class="legend-entry">{swatch}<text class="legend" x="{x + offset}" y="{LEGEND_Y + 1}" '
                f'font-size="11" fill="#1d2430">{escape(text)}</text></g>'
            )
            x += offset + len(text) * 0.6 * 11 + 16

    def markup(self) -> SafeString:
        ident = f"chart{self.number}"
        description = "; ".join(self.described)
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" role="img" class="trend-chart" aria-label="{escape(self.title)}" '
            f'aria-describedby="{ident}-desc"><title>{escape(self.title)}</title>'
            f'<desc id="{ident}-desc">{escape(description)}</desc>'
        )
        return mark_safe(head + "".join(self.parts) + "".join(self.tips) + "</svg>")  # every text was escaped


def line_chart(
    points: list[Point],
    *,
    target: float | None = None,
    baseline: float | None = None,
    title: str = "",
    name: str = "",
    width: int = WIDTH,
) -> SafeString:
    """The SVG markup of ``points`` as a line, with dashed target and dotted baseline lines."""
    return lines_chart([Series(name or title, points)], target=target, baseline=baseline, title=title, width=width)


def lines_chart(
    series: list[Series],
    *,
    target: float | None = None,
    baseline: float | None = None,
    title: str = "",
    target_text: str = "",
    width: int = WIDTH,
) -> SafeString:
    """Several series over the same periods (those of the first), one colour each, with the target and baseline;
    ``width`` in the picture's own units, about the pixels of the card it fills, so its text reads at its size."""
    labels = [point.label for point in series[0].points] if series else []
    known = [point.value for line in series for point in line.points if point.value is not None]
    references = [value for value in (target, baseline) if value is not None]
    low, high = _bounds(known + references)
    ratio = high <= 1
    show = ratio_text if ratio else count_text
    # Room on the right for half of the newest period's label (at most its full form), centred on the last point.
    right = max(RIGHT, _text_width(labels[-1]) / 2 + 4) if labels else RIGHT
    plot_w, plot_h = width - LEFT - right, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x(index: int) -> float:
        return LEFT + index * step

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    canvas = _Canvas(title, HEIGHT, width)
    coloured = [(line, line.colour or PALETTE[number % len(PALETTE)]) for number, line in enumerate(series)]
    entries = [("line", colour, line.name) for line, colour in coloured if line.name]
    if target is not None:
        entries.append(("target", TARGET_COLOUR, target_text or _("target %(value)s") % {"value": show(target)}))
    if baseline is not None:
        entries.append(("baseline", BASELINE_COLOUR, _("baseline %(value)s") % {"value": show(baseline)}))
    canvas.legend(entries)
    _grid(canvas, low, high, y, width - right)
    for index, label in period_axis(labels, step):
        canvas.parts.append(
            f'<text class="period" x="{x(index):.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
            f'font-size="{AXIS_FONT}" fill="#555">{escape(label)}</text>'
        )
    if target is not None:
        canvas.parts.append(
            f'<line class="target" x1="{LEFT}" x2="{width - right:.1f}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    if baseline is not None:
        canvas.parts.append(
            f'<line class="baseline" x1="{LEFT}" x2="{width - right:.1f}" y1="{y(baseline):.1f}" '
            f'y2="{y(baseline):.1f}" stroke="{BASELINE_COLOUR}" stroke-width="1.5" stroke-dasharray="2 3"/>'
        )
    for line, colour in coloured:
        for run in _runs(line.points):
            coordinates = " ".join(f"{x(index):.1f},{y(value):.1f}" for index, value in run)
            canvas.parts.append(
                f'<polyline class="series" points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
    for line, colour in coloured:
        said = []
        for index, point in enumerate(line.points):
            if point.value is None:
                continue
            missed = target is not None and point.value < target
            prefix = f"{line.name} · " if len(series) > 1 else ""
            text = f"{prefix}{point.label}: {show(point.value)}"
            cx, cy = x(index), y(point.value)
            canvas.parts.append(
                f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{MISSED if missed else colour}"/>'
            )
            # A wider, invisible circle on top takes the pointer, so the value shows without aiming at 7 pixels.
            link = line.links[index] if index < len(line.links) else ""
            canvas.hover(
                f'<circle class="hit" cx="{cx:.1f}" cy="{cy:.1f}" r="10" fill="transparent"', text, cx, cy, link
            )
            said.append(f"{point.label} {show(point.value)}")
        canvas.described.append(f"{line.name}: {', '.join(said) or '–'}")
    return canvas.markup()


def bar_chart(
    categories: list[str],
    series: list[Series],
    *,
    title: str = "",
    stacked: bool = True,
    horizontal: bool = False,
    show: Callable[[float], str] = count_text,
    width: int = WIDTH,
) -> SafeString:
    """Counts per category, one colour per series, stacked (or side by side); horizontal bars for long names.

    Each series has one point per category, in the order of ``categories``; a bar with a link opens it."""
    coloured = [(line, line.colour or PALETTE[number % len(PALETTE)]) for number, line in enumerate(series)]
    totals = [
        sum(line.points[index].value or 0 for line in series)
        if stacked
        else max((line.points[index].value or 0 for line in series), default=0)
        for index in range(len(categories))
    ]
    high = _round_up(max(totals, default=0))
    height = HEIGHT if not horizontal else TOP + BOTTOM + ROW_HEIGHT * max(len(categories), 1)
    canvas = _Canvas(title, height, width)
    canvas.legend([("box", colour, line.name) for line, colour in coloured if line.name])
    shown = [name if len(name) <= MAX_LABEL_CHARS else name[: MAX_LABEL_CHARS - 1] + "…" for name in categories]
    left = LEFT if not horizontal else min(max((len(name) for name in shown), default=4) * 6.4 + 12, 200)
    plot_w, plot_h = width - left - RIGHT, height - TOP - BOTTOM
    if horizontal:
        for tick in range(5):
            value = high * tick / 4
            tx = left + plot_w * tick / 4
            canvas.parts.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{TOP}" y2="{height - BOTTOM}" stroke="#e3e6ea"/>'
            )
            canvas.parts.append(
                f'<text x="{tx:.1f}" y="{height - BOTTOM + 14}" text-anchor="middle" font-size="11" fill="#555">'
                f"{value:g}</text>"
            )
    else:
        _grid(canvas, 0, high, lambda value: TOP + plot_h * (1 - value / high), width - RIGHT, left, show=count_text)
    slot = (plot_h if horizontal else plot_w) / max(len(categories), 1)
    thickness = slot * 0.62 / (1 if stacked else max(len(series), 1))
    for index, name in enumerate(shown):
        centre = (TOP if horizontal else left) + slot * (index + 0.5)
        if horizontal:
            canvas.parts.append(
                f'<text class="category" x="{left - 6:.1f}" y="{centre + 4:.1f}" text-anchor="end" font-size="11" '
                f'fill="#1d2430">{escape(name)}</text>'
            )
        said, offset = [], 0.0
        for number, (line, colour) in enumerate(coloured):
            value = line.points[index].value or 0
            if not value:
                continue
            length = (plot_w if horizontal else plot_h) * value / high
            start = offset if stacked else 0.0
            across = centre - (slot * 0.62) / 2 + (0 if stacked else number * thickness)
            if horizontal:
                bx, by, bw, bh = left + start, across, length, thickness
            else:
                bx, by, bw, bh = across, TOP + plot_h - start - length, thickness, length
            if stacked:
                offset += length
            prefix = f"{categories[index]} · {line.name}" if line.name else categories[index]
            text = f"{prefix}: {show(value)}"
            link = line.links[index] if index < len(line.links) else ""
            canvas.hover(
                f'<rect class="bar" x="{bx:.1f}" y="{by:.1f}" width="{max(bw, 0.5):.1f}" height="{max(bh, 0.5):.1f}" '
                f'fill="{colour}"',
                text,
                bx + bw / 2 if not horizontal else bx + bw,
                by if not horizontal else by + bh / 2,
                link,
                beside=horizontal,
            )
            said.append(f"{line.name} {show(value)}" if line.name else show(value))
        canvas.described.append(f"{categories[index]}: {', '.join(said) or show(0)}")
    if not horizontal:
        for index, label in period_axis(categories, slot):
            canvas.parts.append(
                f'<text class="period" x="{left + slot * (index + 0.5):.1f}" y="{height - 12}" text-anchor="middle" '
                f'font-size="{AXIS_FONT}" fill="#555">{escape(label)}</text>'
            )
    return canvas.markup()


def _grid(canvas: _Canvas, low: float, high: float, y, right_x: float, left: float = LEFT, show=None) -> None:
    for tick in range(5):
        value = low + (high - low) * tick / 4
        canvas.parts.append(
            f'<line x1="{left}" x2="{right_x:.1f}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e3e6ea"/>'
        )
        text = show(value) if show else _tick_text(value, high, low)
        canvas.parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" fill="#555">{text}</text>'
        )


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


def _round_up(value: float) -> float:
    """The axis' end: the smallest of 4, 8, 12, 20, 40, ... (four round steps) at or above ``value``."""
    for end in itertools.chain((4, 8, 12, 20), (scale * step for scale in (10, 100, 1000) for step in (4, 8, 12, 20))):
        if value <= end:
            return end
    return value


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


def _tick_text(value: float, high: float, low: float = 0.0) -> str:
    """A ratio axis in whole percent; other axes with as many decimals as their span needs to tell ticks apart."""
    if high <= 1:
        return f"{value * 100:.0f}%"
    span = high - low
    return f"{value:.{0 if span >= 8 else 1 if span >= 0.8 else 2}f}"


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
