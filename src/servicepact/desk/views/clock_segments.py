"""A clock's explained stretches as lines people read: "Mon 2 Mar · 09:00–12:00 · Counting · 3 h 00 min".

Adjacent stretches of the same kind and reason are one line. A long life (weeks of evenings and
weekends) shows its first and last lines with the rest folded between them, and totals per kind.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from servicepact.slm.durations import human_duration
from servicepact.slm.explain import SEGMENT_NAMES, ExplainedSegment

# Up to this many lines are all shown; beyond it the first and last few, the middle folded.
SHOW_ALL_UP_TO = 12
HEAD_LINES = 5
TAIL_LINES = 5
TIME_FORMAT = "H:i"


@dataclass
class SegmentLine:
    day: str  # the local day it starts on ("Mon 2 Mar"); empty when the line above started that day
    span: str  # "09:00–12:00", "18:00 – Tue 3 Mar 08:00", "all day", "until Sun 8 Mar"
    kind: str
    label: str
    duration: str
    counts: bool
    start: datetime
    end: datetime


@dataclass
class KindTotal:
    kind: str
    label: str
    duration: str
    seconds: int


@dataclass
class SegmentList:
    head: list[SegmentLine] = field(default_factory=list)
    folded: list[SegmentLine] = field(default_factory=list)  # behind "show all"
    tail: list[SegmentLine] = field(default_factory=list)
    totals: list[KindTotal] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.head) + len(self.folded) + len(self.tail)

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self):
        yield from self.head
        yield from self.folded
        yield from self.tail


def day_format() -> str:
    """The day a stretch starts on, in the active language's order ("Tue 29 Sep", "9月29日 周二")."""
    return pgettext("the day of a clock's stretch, a date format", "D j M")


def merged(segments: list[ExplainedSegment]) -> list[tuple[ExplainedSegment, datetime]]:
    """(first segment, end) per run of touching segments of the same kind and reason."""
    runs: list[tuple[ExplainedSegment, datetime]] = []
    for segment in segments:
        if runs:
            first, end = runs[-1]
            if first.kind == segment.kind and first.reason == segment.reason and end == segment.start:
                runs[-1] = (first, segment.end)
                continue
        runs.append((segment, segment.end))
    return runs


def span_text(start: datetime, end: datetime) -> str:
    """A stretch between two instants of one zone, as short as its bounds allow."""
    if start.time() == time(0) and end.time() == time(0) and end > start:
        last_day = end - timedelta(days=1)
        if last_day.date() == start.date():
            return _("all day")
        return _("until %(day)s") % {"day": format_date(last_day, day_format())}
    if end.date() == start.date() or (end.time() == time(0) and end.date() == start.date() + timedelta(days=1)):
        until = "24:00" if end.date() != start.date() else format_date(end, TIME_FORMAT)
        return f"{format_date(start, TIME_FORMAT)}–{until}"
    return f"{format_date(start, TIME_FORMAT)} – {format_date(end, day_format())} {format_date(end, TIME_FORMAT)}"


def segment_list(segments: list[ExplainedSegment]) -> SegmentList:
    lines = []
    for first, end in merged(segments):
        seconds = int((end - first.start).total_seconds())
        lines.append(
            SegmentLine(
                day=format_date(first.start, day_format()),
                span=span_text(first.start, end),
                kind=first.kind,
                label=first.label,
                duration=human_duration(seconds),
                counts=first.counts,
                start=first.start,
                end=end,
            )
        )
    if len(lines) <= SHOW_ALL_UP_TO:
        result = SegmentList(head=lines)
    else:
        result = SegmentList(head=lines[:HEAD_LINES], folded=lines[HEAD_LINES:-TAIL_LINES], tail=lines[-TAIL_LINES:])
    for group in (result.head, result.folded, result.tail):
        _blank_repeated_days(group)
    result.totals = _totals(segments)
    return result


def _blank_repeated_days(group: list[SegmentLine]) -> None:
    """Name the day on a group's first line and wherever it changes; the group may be shown on its own."""
    previous = ""
    for line in group:
        day = line.day
        if day == previous:
            line.day = ""
        previous = day


def _totals(segments: list[ExplainedSegment]) -> list[KindTotal]:
    seconds: dict[str, int] = {}
    for segment in segments:
        seconds[segment.kind] = seconds.get(segment.kind, 0) + segment.duration_s
    return [
        KindTotal(kind, str(SEGMENT_NAMES.get(kind, kind)), human_duration(total), total)
        for kind, total in seconds.items()
    ]
