"""Durations in words."""

import pytest

from servicepact.slm.durations import human_duration


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 s"),
        (59, "59 s"),
        (60, "1 min"),
        (3599, "59 min"),
        (3600, "1 h 00 min"),
        (5 * 3600 + 7 * 60, "5 h 07 min"),
        (86400 + 3600 + 60, "25 h 01 min"),
        (80 * 3600, "80 h 00 min"),
    ],
)
def test_words(seconds, words):
    assert human_duration(seconds) == words


def test_a_negative_duration_is_refused_by_value():
    with pytest.raises(ValueError, match="-5"):
        human_duration(-5)
