"""RFC 3339 instants at the kernel's edges: text in, integer epoch seconds (UTC) inside, text out.

Parsing and printing are done with integer arithmetic on the proleptic Gregorian calendar rather than
through ``datetime`` objects: the event log holds hundreds of thousands of instants and this is the
hot path of a replay. The day-number formulas are the well-known civil-from-days conversions.

The kernel reads instants from 1970-01-01T00:00:00Z up to, not including, 2200-01-01T00:00:00Z (the
calendars cover the years 1900 to 2199, so deadlines computed from such instants stay computable); an
instant outside them, or written with digits other than ASCII ones, is refused with a message.
"""

import re

# RFC 3339 date-time: full-date "T" full-time. Lower-case "t"/"z" and a space separator are allowed
# by the RFC's notes, so they are accepted here too. The fraction is optional and dropped.
# re.ASCII: '\d' would otherwise also match digits of other scripts ('２０２６'), which int() reads.
_INSTANT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))?",
    re.ASCII,
)

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class InstantError(ValueError):
    """A text that is not an RFC 3339 instant with an offset; the message says what is wrong."""


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def civil_from_days(days):
    """(year, month, day) of a count of days since 1970-01-01: of an int, or element-wise of an int64 array.

    Only arithmetic and comparisons, so the batch replay formats its instants with this same definition.
    """
    days = days + 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_part = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_part + 2) // 5 + 1
    month = month_part + 3 - 12 * (month_part >= 10)
    return year_of_era + era * 400 + (month <= 2), month, day


# The instants the kernel reads: [FIRST_INSTANT, END_INSTANT), as epoch seconds.
FIRST_INSTANT = 0  # 1970-01-01T00:00:00Z
END_INSTANT = days_from_civil(2200, 1, 1) * 86400  # 2200-01-01T00:00:00Z
INSTANT_RANGE = "1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z"


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# The date part of an instant repeats a lot in a log (every event of a day shares it), so its
# validated day number is cached.
_day_cache: dict[str, int] = {}
# "YYYY-MM-DDTHH" -> epoch second of that UTC hour, filled by the slow path for the fast one.
UTC_HOUR_STARTS: dict[str, int] = {}


def _day_number(text: str, year: int, month: int, day: int) -> int:
    if not 1 <= month <= 12:
        raise InstantError(f"month {month:02d} out of range in {text!r}")
    last_day = 29 if month == 2 and _is_leap(year) else _DAYS_IN_MONTH[month - 1]
    if not 1 <= day <= last_day:
        raise InstantError(f"day {day:02d} out of range for {year:04d}-{month:02d} in {text!r}")
    return days_from_civil(year, month, day)


def parse_instant(text: str) -> int:
    """Epoch seconds of an RFC 3339 instant such as ``2026-03-29T03:30:00+02:00``.

    A time without an offset (``Z`` or ``+HH:MM``) is refused: it does not name an instant.
    Sub-second parts are dropped (truncated), which for whole-minute offsets equals flooring the
    UTC instant. Leap seconds (``:60``) are refused, since epoch seconds cannot hold them.
    """
    # Fast path for the form the kernel writes itself, "YYYY-MM-DDTHH:MM:SSZ", once its hour is known.
    if len(text) == 20 and text[19] == "Z" and text.isascii():
        hour_start = UTC_HOUR_STARTS.get(text[:13])
        if hour_start is not None and text[13] == ":" and text[16] == ":":
            minute_text, second_text = text[14:16], text[17:19]
            if minute_text.isdigit() and second_text.isdigit():
                minute, second = int(minute_text), int(second_text)
                if minute < 60 and second < 60:
                    return hour_start + minute * 60 + second
    match = _INSTANT.fullmatch(text) if len(text) <= 64 else None
    if match is None:
        shown = repr(text) if len(text) <= 64 else f"{text[:40]!r}... ({len(text)} characters)"
        raise InstantError(f"not an RFC 3339 instant: {shown} (expected like 2026-03-02T09:15:00+01:00)")
    year_s, month_s, day_s, hour_s, minute_s, second_s, zulu, sign, off_h, off_m = match.groups()
    if zulu is None and sign is None:
        raise InstantError(f"instant {text!r} has no offset (add Z or +HH:MM)")
    date_text = text[:10]
    days = _day_cache.get(date_text)
    if days is None:
        days = _day_number(text, int(year_s), int(month_s), int(day_s))
        _day_cache[date_text] = days
    hour, minute, second = int(hour_s), int(minute_s), int(second_s)
    if hour > 23 or minute > 59 or second > 59:
        raise InstantError(f"time of day out of range in {text!r}")
    instant = days * 86400 + hour * 3600 + minute * 60 + second
    if sign is not None:
        offset_h, offset_m = int(off_h), int(off_m)
        if offset_h > 23 or offset_m > 59:
            raise InstantError(f"offset out of range in {text!r}")
        offset = offset_h * 3600 + offset_m * 60
        instant -= offset if sign == "+" else -offset
    if not FIRST_INSTANT <= instant < END_INSTANT:
        raise InstantError(f"instant {text!r} lies outside the supported range, {INSTANT_RANGE}")
    if zulu == "Z" and text[10] == "T":
        # only hours in range are cached: the whole hour then is (the range ends on an hour)
        UTC_HOUR_STARTS[text[:13]] = days * 86400 + hour * 3600
    return instant


# epoch hour -> "YYYY-MM-DDTHH:" and second of the hour -> "MM:SSZ", so printing is two lookups.
_hour_text_cache: dict[int, str] = {}
_MINUTE_SECOND_TEXT = tuple(f"{s // 60:02d}:{s % 60:02d}Z" for s in range(3600))


def format_instant(instant: int) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` of an epoch second, the one form the kernel prints."""
    hours, second_of_hour = divmod(instant, 3600)
    hour_text = _hour_text_cache.get(hours)
    if hour_text is None:
        days, hour = divmod(hours, 24)
        year, month, day = civil_from_days(days)
        hour_text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:"
        _hour_text_cache[hours] = hour_text
    return hour_text + _MINUTE_SECOND_TEXT[second_of_hour]
