"""The scalar values of the contract language, each with its parser, its error text and its schema.

Every parser takes the value as read from YAML (str, int, Decimal, date ...) and either returns the
typed value or raises ``PydanticCustomError`` whose message names the offending value and says what
was expected; the loader prefixes the field path and the position.
"""

import datetime
import functools
import re
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

import holidays
from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from servicepact.sla.contract_errors import did_you_mean
from servicepact.sla.durations import DURATION_HELP, DurationError, parse_duration

STATUSES = (
    "new",
    "assigned",
    "in_progress",
    "pending_customer",
    "pending_vendor",
    "pending_problem",
    "resolved",
    "closed",
)
# A clock may stop at the first `responded` event or at the first move to one of the statuses.
STOP_EVENTS = ("responded", *STATUSES)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
COMPARISON_OPERATORS = (">=", "<=", ">", "<")
ALWAYS_OPEN = "24x7"

# re.ASCII: digits of other scripts ('٩٥%', '０８:００') are not numbers of the language.
_PERCENT = re.compile(r"^\s*(?P<number>[+-]?\d+(?:\.\d+)?)\s*%\s*$", re.ASCII)
_DECIMAL = re.compile(r"^\s*[+-]?\d+(?:\.\d+)?\s*$", re.ASCII)
_CLOCK_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})$", re.ASCII)
# Digits a number written as text may have, like the YAML loader's bound on plain numbers.
_MAX_NUMBER_TEXT = 40
_COMPARISON = re.compile(r"^\s*(?P<op>>=|<=|>|<)\s*(?P<value>\S.*?)\s*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_CONTRACT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True, slots=True)
class Comparison:
    """A measure's target, such as ``>= 0.95``: the measured value ``op`` ``value`` must hold."""

    op: str  # ">=" | ">" | "<=" | "<"
    value: Fraction

    def holds(self, measured: Fraction) -> bool:
        return {
            ">=": measured >= self.value,
            ">": measured > self.value,
            "<=": measured <= self.value,
            "<": measured < self.value,
        }[self.op]

    def __str__(self) -> str:
        return f"{self.op} {format_number(self.value)}"


def _fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context)


def shown(value: Any) -> str:
    """A value as quoted in messages: ``"1d"``, ``25``, ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = str(value)
    if len(text) > 60:  # a message quotes enough of a long text to find it, not all of it
        text = f"{text[:40]}... ({len(text)} characters)"
    return f'"{text}"'


def format_number(value: Fraction) -> str:
    """An exact number as short decimal text (19/20 -> "0.95"); non-terminating ones as a fraction."""
    if value.denominator == 1:
        return str(value.numerator)
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(decimal) == value:
        return format(decimal.normalize(), "f")
    return f"{value.numerator}/{value.denominator}"


def format_percent(value: Fraction) -> str:
    return format_number(value * 100) + "%"


# -- numbers ----------------------------------------------------------------------------------------


def parse_number(value: Any) -> Fraction:
    """A number written as an integer, a decimal (exact, never through a float) or a percent."""
    if isinstance(value, bool):
        raise _fail("number", f"{shown(value)} is not a number")
    if isinstance(value, (int, Decimal)):
        return Fraction(value)
    if isinstance(value, str) and len(value.strip()) <= _MAX_NUMBER_TEXT:
        percent = _PERCENT.match(value)
        if percent:
            return Fraction(Decimal(percent["number"])) / 100
        if _DECIMAL.match(value):
            return Fraction(Decimal(value.strip()))
    raise _fail("number", f"{shown(value)} is not a number; write a decimal (0.95) or a percent (95%)")


def parse_ratio(value: Any) -> Fraction:
    """A share between 0 and 1, written as a decimal (0.95) or a percent (95%)."""
    number = parse_number(value)
    if not 0 <= number <= 1:
        raise _fail("ratio", f"{shown(value)} is out of range; a ratio lies between 0 and 1 (0% and 100%)")
    return number


def parse_measure_value(value: Any) -> Fraction:
    """A measure's target or baseline: a number, a percent, or a duration for measures in seconds."""
    if isinstance(value, str) and value.strip() and value.strip()[-1] in "hms":
        try:
            return Fraction(parse_duration(value))
        except DurationError as error:
            raise _fail("duration", str(error)) from None
    try:
        return parse_number(value)
    except PydanticCustomError:
        raise _fail(
            "measure_value",
            f"{shown(value)} is not a number; write a decimal (0.95), a percent (95%) or a duration (8h)",
        ) from None


def parse_comparison(value: Any) -> Comparison:
    match = _COMPARISON.match(value) if isinstance(value, str) else None
    if match is None:
        raise _fail("comparison", f'{shown(value)} is not a target; write an operator and a value, e.g. ">= 0.95"')
    return Comparison(op=match["op"], value=parse_measure_value(match["value"]))


def parse_money(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise _fail("money", f"{shown(value)} is not an amount of money")
    try:
        if isinstance(value, str) and (len(value.strip()) > _MAX_NUMBER_TEXT or not _DECIMAL.match(value)):
            raise ArithmeticError  # only plain decimals, in ASCII digits
        amount = Decimal(value) if not isinstance(value, str) else Decimal(value.strip())
    except ArithmeticError:
        raise _fail("money", f"{shown(value)} is not an amount of money") from None
    if amount.is_finite() and (amount.adjusted() > 15 or len(amount.as_tuple().digits) > 24):
        raise _fail("money", f"{shown(value)} is too large an amount of money; at most 15 digits before the point")
    if not amount.is_finite() or amount <= 0:
        raise _fail("money", f"{shown(value)} is not a positive amount of money")
    return amount


def parse_currency(value: Any) -> str:
    if not isinstance(value, str) or not _CURRENCY.match(value):
        raise _fail("currency", f"{shown(value)} is not a currency; use its ISO 4217 code (EUR, USD, CNY)")
    return value


def parse_contract_id(value: Any) -> str:
    if not isinstance(value, str) or not _CONTRACT_ID.match(value):
        raise _fail(
            "contract_id",
            f"{shown(value)} is not a contract id; use lower-case letters, digits, '.', '_' and '-' (e.g. globex-ito)",
        )
    return value


# -- durations and time ------------------------------------------------------------------------------


def parse_target_duration(value: Any) -> int:
    if not isinstance(value, str):
        raise _fail("duration", f"{shown(value)} is not a duration; {DURATION_HELP}")
    try:
        seconds = parse_duration(value)
    except DurationError as error:
        raise _fail("duration", str(error)) from None
    if seconds <= 0:
        raise _fail("duration", f"{shown(value)} is not a positive duration; a target must be longer than 0s")
    return seconds


def _clock_time(text: str, whole: str, *, is_end: bool) -> int:
    match = _CLOCK_TIME.match(text.strip())
    hours, minutes = (int(match["h"]), int(match["m"])) if match else (-1, -1)
    seconds = hours * 3600 + minutes * 60
    end_of_day = is_end and (hours, minutes) == (24, 0)
    if not match or minutes > 59 or (hours > 23 and not end_of_day):
        allowed = "00:00 to 24:00" if is_end else "00:00 to 23:59"
        raise _fail("window", f'"{whole}" has no valid time "{text.strip()}"; use HH:MM from {allowed}')
    return seconds


def parse_window(value: Any) -> tuple[int, int]:
    """An opening window ``"08:00-18:00"`` as seconds of the local day; ``24:00`` only as an end."""
    if not isinstance(value, str) or value.count("-") != 1:
        raise _fail("window", f'{shown(value)} is not a window; write "HH:MM-HH:MM", e.g. "08:00-18:00"')
    start_text, end_text = value.split("-")
    start = _clock_time(start_text, value, is_end=False)
    end = _clock_time(end_text, value, is_end=True)
    if end <= start:
        raise _fail("window", f'"{value}" ends before it starts; a window must end after its start')
    return (start, end)


def format_clock_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def format_window(window: tuple[int, int]) -> str:
    return f"{format_clock_time(window[0])}-{format_clock_time(window[1])}"


def parse_weekdays(text: str) -> tuple[int, ...]:
    """``"mon-fri"``, ``"sat"``, ``"mon,wed"``, ``"mon-wed,fri"`` as weekday numbers, 0 = Monday."""
    days: list[int] = []
    for part in str(text).split(","):
        ends = [name.strip().lower() for name in part.split("-")]
        unknown = [name for name in ends if name not in WEEKDAYS]
        if unknown or len(ends) > 2:
            hint = did_you_mean(unknown[0], WEEKDAYS) if unknown else ""
            raise _fail(
                "weekdays",
                f'"{text}" is not a set of weekdays{hint}; use mon, tue, wed, thu, fri, sat, sun, '
                'ranges such as "mon-fri" and lists such as "mon,wed"',
            )
        first, last = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        if last < first:
            raise _fail("weekdays", f'"{text}" runs backwards; a range goes from mon towards sun, e.g. "mon-fri"')
        days.extend(range(first, last + 1))
    repeated = sorted({WEEKDAYS[day] for day in days if days.count(day) > 1})
    if repeated:
        raise _fail("weekdays", f'"{text}" names {", ".join(repeated)} twice')
    return tuple(days)


# Dates of a contract lie in the years of the kernel's instants (timefmt), where calendars are computed.
FIRST_DATE, LAST_DATE = datetime.date(1970, 1, 1), datetime.date(2199, 12, 31)


def parse_date(value: Any) -> datetime.date:
    day = None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        day = value
    elif isinstance(value, str) and len(value.strip()) == 10 and value.isascii():
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if day is None:
        raise _fail("date", f"{shown(value)} is not a date; write YYYY-MM-DD")
    if not FIRST_DATE <= day <= LAST_DATE:
        raise _fail("date", f"{day.isoformat()} is out of range; dates lie from {FIRST_DATE} to {LAST_DATE}")
    return day


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def parse_time_zone(value: Any) -> str:
    if isinstance(value, str) and value in _time_zones():
        return value
    hint = did_you_mean(value, _time_zones()) if isinstance(value, str) else ""
    raise _fail("time_zone", f"unknown time zone {shown(value)}{hint}; use an IANA name such as Europe/Berlin")


@functools.cache
def _holiday_countries() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


def parse_holiday_country(value: Any) -> str:
    if isinstance(value, str) and value in _holiday_countries():
        return value
    hint = did_you_mean(value, _holiday_countries()) if isinstance(value, str) else ""
    raise _fail(
        "holiday_country",
        f"unknown holiday country {shown(value)}{hint}; use a country code of the holidays package (DE, CN, IN ...)",
    )


# -- the annotated types the document models use ------------------------------------------------------

_PERCENT_PATTERN = r"^[+-]?\d+(\.\d+)?\s*%$"

Ratio = Annotated[
    Fraction,
    PlainValidator(parse_ratio),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "string", "pattern": _PERCENT_PATTERN}],
            "description": "A share between 0 and 1: a decimal (0.95) or a percent (95%).",
        }
    ),
]
MeasureValue = Annotated[
    Fraction,
    PlainValidator(parse_measure_value),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "A decimal (0.95), a percent (95%), or for measures in seconds a duration (8h).",
        }
    ),
]
Target = Annotated[
    Comparison,
    PlainValidator(parse_comparison),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*(>=|<=|>|<)\s*\S+",
            "description": 'An operator and a value the measured value must satisfy, e.g. ">= 0.95".',
        }
    ),
]
TargetDuration = Annotated[
    int,
    PlainValidator(parse_target_duration),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d+h)?(\d+m)?(\d+s)?$",
            "description": "A duration in h, m and s (e.g. 1h30m). A day is not a unit.",
        }
    ),
]
Window = Annotated[
    tuple[int, int],
    PlainValidator(parse_window),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{2}:\d{2}-\d{2}:\d{2}$",
            "description": 'Opening hours in local wall time, "HH:MM-HH:MM"; 24:00 is allowed as an end.',
        }
    ),
]
Weekdays = Annotated[
    tuple[int, ...],
    PlainValidator(parse_weekdays),
    WithJsonSchema(
        {
            "type": "string",
            "description": 'Weekdays: "mon-fri", "sat", "mon,wed"; each day in one key only.',
        }
    ),
]
Date = Annotated[
    datetime.date,
    PlainValidator(parse_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "A date, YYYY-MM-DD."}),
]
TimeZoneName = Annotated[
    str,
    PlainValidator(parse_time_zone),
    WithJsonSchema({"type": "string", "description": "An IANA time zone, e.g. Europe/Berlin."}),
]
HolidayCountry = Annotated[
    str,
    PlainValidator(parse_holiday_country),
    WithJsonSchema(
        {
            "type": "string",
            "description": "A country code of the holidays package (DE, CN ...): its holidays are closed.",
        }
    ),
]
Money = Annotated[
    Decimal,
    PlainValidator(parse_money),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "description": "A positive amount."}),
]
Currency = Annotated[
    str,
    PlainValidator(parse_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$", "description": "An ISO 4217 currency code."}),
]
ContractId = Annotated[
    str,
    PlainValidator(parse_contract_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _CONTRACT_ID.pattern,
            "description": "The contract's id: lower-case letters, digits, '.', '_', '-'.",
        }
    ),
]
