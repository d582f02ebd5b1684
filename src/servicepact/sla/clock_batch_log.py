"""An event log read into columns (numpy arrays, one entry per event) for the batch replay.

``events.parse_event_log`` builds one ``Event`` object per line, which is what reports need but costs
a few microseconds of Python per line. A replay of a large export needs only each event's ticket,
instant, type and one value, so this reader takes the whole file at once:

- one regular expression splits every line of the common compact shape (the one ``events export``
  and the benchmark generator write: ``{"ticket":"…","at":"YYYY-MM-DDTHH:MM:SS±…","type":…}``) into
  its ticket, its instant and the rest of the object. The rest repeats a lot (``"type":"status",
  "status":"closed"}``), so each distinct rest is decoded and checked once, with the same checker
  as ``parse_event_log``;
- instants are turned into epoch seconds with array arithmetic (days-from-civil), and tickets are
  numbered through C-level dictionary lookups, so a line of that shape costs no Python step of its own;
- any other line (other key order, spaces, escapes, a fraction of a second) is read one at a time by
  ``events.LineReader``, exactly as ``parse_event_log`` reads it.

The file is read in pieces of a few megabytes, so that the many small texts the regular expression
hands out live only as long as their piece.

The reader vouches only for logs without a single problem and without corrections or imported
history's types: on a bad line, a ticket whose events break section 3's ordering rules, or a `corrected`,
`unassigned` or `amended` event, it returns None and the caller runs ``parse_event_log``, which words
every message. Its result therefore never differs from that function's, only its speed.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import count
from operator import itemgetter
from typing import Any

import numpy as np
import orjson

from servicepact.sla.events import EVENT_TYPES, MAX_TICKET_ID_LENGTH, STATUSES, LineReader, collector_paused
from servicepact.sla.timefmt import END_INSTANT, FIRST_INSTANT

CREATED, STATUS, PRIORITY, ASSIGNED, RESPONDED, CORRECTED, UNASSIGNED, AMENDED = (
    EVENT_TYPES.index(name)
    for name in ("created", "status", "priority", "assigned", "responded", "corrected", "unassigned", "amended")
)
# Types the columns do not model: a log with any of them is read event by event.
_DECLINED_TYPES = [CORRECTED, UNASSIGNED, AMENDED]
NO_VALUE = -1

# Ticket ids of printable ASCII other than '"' and '\' read the same as JSON text and as raw bytes; a
# longer id than events allow makes the line one of another shape, which LineReader then refuses.
_COMPACT_LINE = re.compile(
    rb'^(?:\{"ticket":"([!#-\[\]-~]{1,%d})","at":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)((?:Z|[+-]\d\d:\d\d)","type":.*)|(.*))$'
    % MAX_TICKET_ID_LENGTH,
    re.MULTILINE,
)
_STAMP_WIDTH = 19  # YYYY-MM-DDTHH:MM:SS
_PLACEHOLDER_STAMP = b"1970-01-01T00:00:00"
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


@dataclass(slots=True)
class LogColumns:
    """Every event of a valid log, sorted by ticket (code point order), instant, then line."""

    tickets: list[str]  # the log's ticket ids, sorted
    ticket: np.ndarray  # int64 index into ``tickets``
    at: np.ndarray  # int64 epoch seconds
    kind: np.ndarray  # int16 index into EVENT_TYPES
    status: np.ndarray  # int16 index into STATUSES for status events, else NO_VALUE
    priority: np.ndarray  # int16 index into the contract's priorities (created, priority events), else NO_VALUE
    service: np.ndarray  # int16 index into the contract's sorted services (created events), else NO_VALUE


class _Meanings:
    """What each distinct end of a compact line (its offset and the members after "at") says:
    (kind, status, priority, service, offset seconds), or None when the line must be read alone."""

    def __init__(self, reader: LineReader, priorities: list[str], services: list[str]):
        self.reader = reader
        self.priority_index = {name: index for index, name in enumerate(priorities)}
        self.service_index = {name: index for index, name in enumerate(services)}
        self.status_index = {name: index for index, name in enumerate(STATUSES)}

    def of_end(self, end: bytes) -> tuple[int, int, int, int, int] | None:
        offset_text = end[:1] if end[:1] == b"Z" else end[:6]
        offset = _offset_seconds(offset_text)
        if offset is None:
            return None
        # '{' + the members after "at" is the line's object without its first two members; it reads
        # as the whole line does unless it repeats "ticket" or "at" (a later duplicate wins).
        try:
            record = orjson.loads(b"{" + end[len(offset_text) + 2 :])
        except orjson.JSONDecodeError:
            return None
        if type(record) is not dict or "ticket" in record or "at" in record:
            return None
        event = self.reader.record_event({"ticket": "-", "at": "1970-01-01T00:00:00Z", **record}, 0)
        if event is None:
            return None
        return (*self.codes(event.type, event.data), offset)

    def codes(self, event_type: str, data: dict) -> tuple[int, int, int, int]:
        status = self.status_index[data["status"]] if event_type == "status" else NO_VALUE
        priority = self.priority_index[data["priority"]] if event_type in ("created", "priority") else NO_VALUE
        service = self.service_index[data["service"]] if event_type == "created" else NO_VALUE
        return EVENT_TYPES.index(event_type), status, priority, service


def read_log_columns(data: bytes, contract: Any) -> LogColumns | None:
    """The log's events as sorted columns; None when any line is bad or any ticket breaks the ordering rules."""
    with collector_paused():
        return _read(data, contract)


# The log is read in pieces of about this many bytes (ending at a line's end), so that the texts the
# regular expression hands out for one piece are turned into arrays and let go before the next one.
_PIECE_BYTES = 1 << 21


def _read(data: bytes, contract: Any) -> LogColumns | None:
    reader = _PieceReader(contract)
    tickets, instants, codes = [], [], []
    start, first_line = 0, 1
    while start < len(data):
        end = data.find(b"\n", start + _PIECE_BYTES)
        end = len(data) if end < 0 else end + 1
        piece = reader.read(data, start, end, first_line)
        if piece is None:
            return None
        tickets.append(piece[0])
        instants.append(piece[1])
        codes.append(piece[2])
        first_line += piece[3]
        start = end
    if not tickets:
        return LogColumns(
            [], *(np.zeros(0, dtype=dtype) for dtype in (np.int64, np.int64, np.int16, np.int16, np.int16, np.int16))
        )
    ticket_ids, at, code = np.concatenate(tickets), np.concatenate(instants), np.concatenate(codes)
    if at.size and (int(at.min()) < FIRST_INSTANT or int(at.max()) >= END_INSTANT):
        return None  # an instant outside the kernel's range: parse_event_log words it
    if np.isin(code[:, 0], _DECLINED_TYPES).any():
        # corrections reach back over a ticket's whole life, an unassignment changes the team and an
        # amendment may follow `closed`: the event-by-event path reads them
        return None
    numbers = reader.ticket_ids
    rank = np.empty(len(numbers), dtype=np.int64)
    numbers.pop(b"", None)  # lines of another shape were numbered as b"" first
    sorted_keys = sorted(numbers)  # UTF-8 byte order is code point order
    rank[np.fromiter(map(numbers.__getitem__, sorted_keys), dtype=np.int64, count=len(sorted_keys))] = np.arange(
        len(sorted_keys)
    )
    ticket = rank[ticket_ids]
    order = _event_order(ticket, at)
    code = code[order]
    columns = LogColumns(
        tickets=[key.decode("utf-8") for key in sorted_keys],
        ticket=ticket[order],
        at=at[order],
        kind=code[:, 0],
        status=code[:, 1],
        priority=code[:, 2],
        service=code[:, 3],
    )
    return columns if _ordering_rules_hold(columns) else None


class _EndTable(dict):
    """Each distinct end of a compact line -> its row in the table of what ends say; row 0 stands for
    "read this line alone". Looked up once per line, it decodes an end only the first time it is seen."""

    def __init__(self, meanings: _Meanings):
        super().__init__()
        self.meanings = meanings
        self.rows: list[tuple[int, int, int, int, int]] = [(0, 0, 0, 0, 0)]
        self._codes = np.zeros((0, 4), dtype=np.int16)
        self._offsets = np.zeros(0, dtype=np.int64)

    def __missing__(self, end: bytes) -> int:
        meaning = self.meanings.of_end(end) if end else None
        row = 0
        if meaning is not None:
            row = len(self.rows)
            self.rows.append(meaning)
        self[end] = row
        return row

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(codes, offset seconds) of every row, as arrays; only rows added since the last call are
        converted, as a log with free text in every line has as many rows as lines."""
        new = self.rows[len(self._offsets) :]
        if new:
            self._codes = np.concatenate([self._codes, np.array([meaning[:4] for meaning in new], dtype=np.int16)])
            self._offsets = np.concatenate([self._offsets, np.array([meaning[4] for meaning in new], dtype=np.int64)])
        return self._codes, self._offsets


class _PieceReader:
    """Reads pieces of a log in turn, numbering tickets in order of first appearance."""

    def __init__(self, contract: Any):
        self.lines = LineReader(contract)
        self.meanings = _Meanings(self.lines, list(contract.priorities), sorted(contract.services))
        # UTF-8 bytes of a ticket id -> its number, given on first sight (lines of another shape
        # first get the number of b"", which they never keep)
        self.ticket_ids: defaultdict[bytes, int] = defaultdict(count().__next__)
        self.ends = _EndTable(self.meanings)

    def read(
        self, data: bytes, start: int, end: int, first_line: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int] | None:
        """(ticket numbers, instants, codes, number of lines) of the events in ``data[start:end]``, in
        line order; None on a bad line."""
        rows = _COMPACT_LINE.findall(data, start, end)
        if data[end - 1 : end] == b"\n":
            rows.pop()  # the empty text after the last newline, which holds no line
        line_count = len(rows)
        # whole columns at once: no Python step per line for the lines of the compact shape
        end_id = np.fromiter(map(self.ends.__getitem__, map(itemgetter(2), rows)), dtype=np.int64, count=line_count)
        tickets = np.fromiter(
            map(self.ticket_ids.__getitem__, map(itemgetter(0), rows)), dtype=np.int64, count=line_count
        )
        table_codes, table_offsets = self.ends.arrays()
        codes, offsets = table_codes[end_id], table_offsets[end_id]
        alone = np.flatnonzero(end_id == 0).tolist()
        if not alone:
            at = _stamp_seconds(b"".join(map(itemgetter(1), rows)), line_count)
            return None if at is None else (tickets, at - offsets, codes, line_count)

        # Lines of another shape are read one by one; blank ones hold no event.
        stamps = list(map(itemgetter(1), rows))
        instants: dict[int, int] = {}
        keep = np.ones(line_count, dtype=bool)
        for index in alone:
            ticket_text, stamp, line_end, other = rows[index]
            # a compact line whose end could not be read on its own is put back together as it was
            line = other if not ticket_text else b'{"ticket":"' + ticket_text + b'","at":"' + stamp + line_end
            event = self.lines.read(line, first_line + index)
            if event is None:
                return None
            if event is self.lines.BLANK:
                keep[index] = False
            else:
                try:
                    tickets[index] = self.ticket_ids[event.ticket.encode("utf-8")]
                except UnicodeEncodeError:
                    return None
                codes[index] = self.meanings.codes(event.type, event.data)
                instants[index] = event.at
            stamps[index] = _PLACEHOLDER_STAMP
        at = _stamp_seconds(b"".join(stamps), line_count)
        if at is None:
            return None
        at -= offsets
        for index, instant in instants.items():
            at[index] = instant
        return tickets[keep], at[keep], codes[keep], line_count


def _offset_seconds(text: bytes) -> int | None:
    """Seconds to subtract for an offset ("Z", "+HH:MM"); None if it is out of range."""
    if text == b"Z":
        return 0
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23 or minutes > 59:
        return None
    return (hours * 3600 + minutes * 60) * (1 if text[:1] == b"+" else -1)


def _stamp_seconds(stamps: bytes, count: int) -> np.ndarray | None:
    """Epoch seconds of fixed-width "YYYY-MM-DDTHH:MM:SS" texts read as UTC; None if a field is out of range."""
    characters = np.frombuffer(stamps, dtype=np.uint8).reshape(count, _STAMP_WIDTH)

    def number(first: int, width: int) -> np.ndarray:
        value = characters[:, first].astype(np.int64) - ord("0")
        for column in range(first + 1, first + width):
            value = value * 10 + (characters[:, column] - ord("0"))
        return value

    year, month, day = number(0, 4), number(5, 2), number(8, 2)
    hour, minute, second = number(11, 2), number(14, 2), number(17, 2)
    if ((month < 1) | (month > 12)).any():
        return None
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _MONTH_DAYS[month] + (leap & (month == 2))
    if ((day < 1) | (day > last_day) | (hour > 23) | (minute > 59) | (second > 59)).any():
        return None
    return _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """timefmt.days_from_civil on arrays (the tests hold the two equal through whole logs)."""
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _event_order(ticket: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Indices that sort events by ticket, then instant; a stable sort keeps ties in file order."""
    if at.size == 0:
        return np.zeros(0, dtype=np.int64)
    span = int(at.max()) - int(at.min())
    if span < 2**32 and ticket.size < 2**31:
        return np.argsort((ticket << 32) | (at - at.min()), kind="stable")
    return np.lexsort((at, ticket))


def _ordering_rules_hold(columns: LogColumns) -> bool:
    """Section 3 on every ticket: the first event is `created`, no second `created`, nothing after `closed`."""
    ticket = columns.ticket
    if ticket.size == 0:
        return True
    first = np.ones(ticket.size, dtype=bool)
    first[1:] = ticket[1:] != ticket[:-1]
    created = columns.kind == CREATED
    if not np.array_equal(first, created):
        return False
    closed = (columns.kind == STATUS) & (columns.status == STATUSES.index("closed"))
    # closings so far in the ticket, before this event: any event after a closing breaks the rule
    closings = np.cumsum(closed)
    before_ticket = np.maximum.accumulate(np.where(first, closings - closed, 0))
    return not ((closings - closed - before_ticket) > 0).any()
