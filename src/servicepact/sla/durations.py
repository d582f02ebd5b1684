"""Durations of the contract language: hours, minutes and seconds only.

A day is deliberately not a unit: "1 business day" and "24 hours" differ, and a contract must not leave
the reader to guess which one was meant.
"""

import re

_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
# Units in falling order, each at most once: "1h30m", "45m", "90s", "2h15m30s".
_DURATION = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")

DURATION_HELP = "use s, m, h (e.g. 1h30m)"


class DurationError(ValueError):
    """The text is not a duration of the contract language."""


def parse_duration(text: str) -> int:
    """Return the number of seconds written as ``text`` (``"1h30m"`` -> 5400)."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if match is None or not any(match.groupdict().values()):
        raise DurationError(f'"{text}" is not a duration; {DURATION_HELP}')
    return sum(int(amount) * _UNIT_SECONDS[unit] for unit, amount in match.groupdict().items() if amount)


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
