"""Durations of the contract language: hours, minutes and seconds only.

A day is deliberately not a unit: "1 business day" and "24 hours" differ, and a contract must not leave
the reader to guess which one was meant.
"""

import re

_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
# Units in falling order, each at most once: "1h30m", "45m", "90s", "2h15m30s".
# ASCII digits only: '\d' alone would also read other scripts' digits.
_DURATION = re.compile(r"^(?:(?P<h>[0-9]+)h)?(?:(?P<m>[0-9]+)m)?(?:(?P<s>[0-9]+)s)?$")

DURATION_HELP = "use s, m, h (e.g. 1h30m)"
# The longest duration, about eleven years around the clock: a target beyond it is a typing mistake,
# and instants computed from it must stay within the kernel's range.
MAX_DURATION_S = 100_000 * 3600


class DurationError(ValueError):
    """The text is not a duration of the contract language."""


def parse_duration(text: str) -> int:
    """Return the number of seconds written as ``text`` (``"1h30m"`` -> 5400)."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if match is None or not any(match.groupdict().values()):
        shown = text if len(text) <= 40 else f"{text[:20]}...{text[-8:]}"
        raise DurationError(f'"{shown}" is not a duration; {DURATION_HELP}')
    amounts = {unit: amount for unit, amount in match.groupdict().items() if amount}
    if any(len(amount.lstrip("0")) > 9 for amount in amounts.values()):
        seconds = MAX_DURATION_S + 1  # too many digits to be anything but too long
    else:
        seconds = sum(int(amount) * _UNIT_SECONDS[unit] for unit, amount in amounts.items())
    if seconds > MAX_DURATION_S:
        shown = text.strip() if len(text.strip()) <= 40 else f"{text.strip()[:20]}..."
        raise DurationError(f'"{shown}" is too long; a duration is at most {MAX_DURATION_S // 3600}h')
    return seconds


def format_duration(seconds: int) -> str:
    """Write ``seconds`` the way a contract would (5400 -> ``"1h30m"``, 0 -> ``"0s"``)."""
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    rest = abs(seconds)
    parts = []
    for unit, size in _UNIT_SECONDS.items():
        amount, rest = divmod(rest, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return sign + "".join(parts)
