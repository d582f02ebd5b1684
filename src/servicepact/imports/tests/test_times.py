"""Times of the source: the fast reader of day/month/year formats gives what strptime and the zone give."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicepact.imports.sources.records import TimeReader

ZONES = ["America/Sao_Paulo", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M", "%d.%m.%Y"]


def by_strptime(text: str, time_format: str, zone: ZoneInfo) -> int:
    return int(datetime.strptime(text, time_format).replace(tzinfo=zone).astimezone(UTC).timestamp())


@pytest.mark.parametrize("zone_name", ZONES)
def test_the_fast_reader_agrees_with_strptime_around_every_change(zone_name):
    zone, rng = ZoneInfo(zone_name), random.Random(zone_name)
    start = datetime(2016, 1, 1)
    moments = [start + timedelta(minutes=rng.randrange(2 * 366 * 24 * 60)) for _ in range(3000)]
    # every minute of the days around each change of offset (the gaps and the repeated hours)
    for day in range(2 * 366):
        noon = datetime(2016, 1, 1, 12) + timedelta(days=day)
        if noon.replace(tzinfo=zone).utcoffset() != (noon + timedelta(days=1)).replace(tzinfo=zone).utcoffset():
            moments += [noon + timedelta(minutes=minute) for minute in range(0, 24 * 60, 7)]
    for time_format in FORMATS:
        fast, slow = TimeReader(zone, time_format), TimeReader(zone, time_format)
        slow.pattern = None
        assert fast.pattern is not None
        for moment in moments:
            text = moment.strftime(time_format).replace("/0", "/").lstrip("0")
            assert fast.read(text) == slow.read(text) == by_strptime(text, time_format, zone), (time_format, text)


def test_what_the_fast_reader_does_not_read_is_worded_by_strptime():
    reader = TimeReader(ZoneInfo("UTC"), "%d/%m/%Y %H:%M")
    for text in ("31/2/2016 10:00", "29/2/2016 24:00", "1/1/2500 10:00", "29-2-2016 10:00"):
        with pytest.raises(ValueError):
            reader.read(text)
    assert TimeReader(ZoneInfo("UTC"), "%d %b %Y").pattern is None
