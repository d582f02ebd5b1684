"""What every reader gives the conversion: one ``SourceTicket`` per source ticket, and the problems met.

A source ticket is its values when it was opened and the changes after that, each change a (instant,
row, field, value) with the instant in epoch seconds UTC and the row its line in the file. Readers of
every layout (one row per change, one per field change, one per ticket, Jira's issues) come to this.
"""

import calendar
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

# Pseudo-fields a reader may put among the changes: a status already in servicepact's words (one row per
# ticket gives resolution and closing instants, not states), and a first response the source recorded.
STATUS, RESPONDED = "=status", "=responded"
MAX_REPORTED_ROWS = 200
# A field this long is no ticket's state, group or number: refused rather than carried into the database.
MAX_VALUE_LENGTH = 1000


@dataclass(slots=True)
class SourceTicket:
    reference: str
    line: int  # where the ticket begins in the file
    opened_at: int  # epoch seconds UTC
    initial: dict[str, str | None]  # field -> value at opening (tracked fields, requester, title)
    changes: list[tuple[int, int, str, str | None]] = field(default_factory=list)  # (at, row, field, value)
    verdicts: dict[str, str] = field(default_factory=dict)  # clock -> the source's own "met" / "breached"
    clamped: int = 0  # changes dated before the ticket was opened, moved to its opening


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    field: str  # the column or key, "" for the whole row
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


class SourceProblems:
    """Bad rows (the first MAX_REPORTED_ROWS kept, all counted) and what the reader had to approximate."""

    def __init__(self) -> None:
        self.bad_rows: list[BadRow] = []
        self.bad_row_count = 0
        self.rows = 0
        self.notes: dict[str, int] = {}

    def bad(self, line: int, field_name: str, message: str) -> None:
        self.bad_row_count += 1
        if len(self.bad_rows) < MAX_REPORTED_ROWS:
            self.bad_rows.append(BadRow(line, field_name, message))

    def note(self, key: str, count: int = 1) -> None:
        self.notes[key] = self.notes.get(key, 0) + count


# strptime directives the fast reader knows, as regular expressions (the digits strptime accepts for each).
_DIRECTIVES = {
    "%d": r"(?P<d>\d{1,2})",
    "%m": r"(?P<m>\d{1,2})",
    "%Y": r"(?P<Y>\d{4})",
    "%H": r"(?P<H>\d{1,2})",
    "%M": r"(?P<M>\d{1,2})",
    "%S": r"(?P<S>\d{1,2})",
}


def _fast_pattern(time_format: str | None) -> re.Pattern | None:
    """A regular expression reading exactly what ``strptime(text, time_format)`` reads, for formats made of
    %d %m %Y %H %M %S (each at most once, %Y %m %d all present) and plain characters; else None."""
    if not time_format:
        return None
    parts, position, seen = [], 0, set()
    while position < len(time_format):
        if time_format[position] == "%":
            directive = time_format[position : position + 2]
            if directive not in _DIRECTIVES or directive in seen:
                return None
            seen.add(directive)
            parts.append(_DIRECTIVES[directive])
            position += 2
        else:
            character = time_format[position]
            parts.append(r"\s+" if character.isspace() else re.escape(character))
            position += 1
    if not {"%d", "%m", "%Y"} <= seen:
        return None
    return re.compile("".join(parts) + r"\Z")


class TimeReader:
    """Instants of the source as epoch seconds UTC: with ``time_format`` (strptime) or ISO 8601; a time
    without an offset is local to ``zone``. A local time that a daylight-saving change skips is read with
    the offset before the change, an ambiguous one as the first of the two (Python's fold=0).

    Formats of day, month, year, hours, minutes and seconds are read without strptime (the same result, a
    test holds them equal) and each quarter hour's offset from UTC is looked up once: the zone's changes
    fall on quarter hours."""

    def __init__(self, zone: ZoneInfo, time_format: str | None):
        self.zone = zone
        self.format = time_format
        self.pattern = _fast_pattern(time_format)
        self._seen: dict[str, int] = {}
        self._offsets: dict[tuple[int, int, int, int, int], int] = {}

    def read(self, text: str) -> int:
        """Epoch seconds; raises ValueError with a message for a text that is not a time."""
        found = self._seen.get(text)
        if found is not None:
            return found
        second = self._fast(text) if self.pattern is not None else None
        if second is None:
            second = self._slow(text)
        if len(self._seen) < 1_000_000:
            self._seen[text] = second
        return second

    def _fast(self, text: str) -> int | None:
        match = self.pattern.match(text.strip())
        if match is None:
            return None
        fields = match.groupdict()
        try:
            year, month, day = int(fields["Y"]), int(fields["m"]), int(fields["d"])
            hour, minute, second = int(fields.get("H") or 0), int(fields.get("M") or 0), int(fields.get("S") or 0)
            if not (1970 <= year <= 2199 and hour < 24 and minute < 60 and second < 60):
                return None
            date(year, month, day)  # a day that exists
        except ValueError:
            return None
        key = (year, month, day, hour, minute // 15)
        offset = self._offsets.get(key)
        if offset is None:
            local = datetime(year, month, day, hour, minute // 15 * 15, tzinfo=self.zone)
            offset = self._offsets[key] = int(local.utcoffset().total_seconds())
        return calendar.timegm((year, month, day, hour, minute, second)) - offset

    def _slow(self, text: str) -> int:
        try:
            moment = datetime.strptime(text, self.format) if self.format else datetime.fromisoformat(text)
        except ValueError:
            expected = (
                f"a time like {datetime(2016, 2, 29, 13, 5).strftime(self.format)} ({self.format})"
                if self.format
                else "an ISO 8601 time like 2016-02-29T13:05:00"
            )
            raise ValueError(f"{text!r} is not {expected}") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        if not 1970 <= moment.year <= 2199:
            raise ValueError(f"{text!r} is outside the years 1970-2199")
        return int(moment.astimezone(UTC).timestamp() // 1)


@contextmanager
def open_text(path: Path, suffixes: tuple[str, ...]) -> Iterator[IO[str]]:
    """The file as text (UTF-8, a byte-order mark dropped); a zip archive gives its one member that ends
    in one of ``suffixes``. Raises ValueError naming the problem."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [
                info for info in archive.infolist() if not info.is_dir() and info.filename.lower().endswith(suffixes)
            ]
            if len(members) != 1:
                names = ", ".join(info.filename for info in archive.infolist()) or "nothing"
                raise ValueError(
                    f"the zip archive must hold exactly one {' or '.join(suffixes)} file; it holds {names}"
                )
            with archive.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return
    with open(path, encoding="utf-8-sig", newline="") as stream:
        yield stream


def header_names(header: list[str]) -> list[str]:
    """Column names, a repeated name's second column as ``NAME#2`` (third ``NAME#3`` ...)."""
    seen: dict[str, int] = {}
    names = []
    for raw in header:
        name = raw.strip()
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return names


class CsvError(ValueError):
    """A file the CSV reader cannot go on reading (a cell beyond its size limit, say), with the line."""


def csv_rows(stream: IO[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of every record after the header; blank records are skipped. Raises CsvError."""
    reader = csv.reader(stream, delimiter=delimiter)
    previous = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvError(f"line {previous + 1}: not CSV that can be read: {error}") from None
        line = previous + 1
        previous = reader.line_num
        if cells and any(cells):
            yield line, cells


class Columns:
    """Where the mapping's fields stand in a CSV header; ``missing`` names the required ones absent."""

    def __init__(self, header: list[str], wanted: dict[str, str], required: tuple[str, ...]):
        names = header_names(header)
        self.index = {name: position for position, name in enumerate(names)}
        self.fields = {name: self.index[column] for name, column in wanted.items() if column in self.index}
        self.missing = [f"{name} (column {wanted[name]!r})" for name in required if name not in self.fields]
        self.width = len(names)

    def of(self, name: str) -> int | None:
        return self.fields.get(name)
