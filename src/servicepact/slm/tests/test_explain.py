"""Clock explanations: stretches of each clock's life, in the viewer's time zone, durations in words."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from servicepact.desk import actions
from servicepact.slm.explain import ticket_clocks
from servicepact.slm.tests.conftest import open_ticket


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def kinds(explanation) -> list[str]:
    return [segment.kind for segment in explanation.segments]


def test_a_weekend_and_evenings_are_explained_in_the_viewers_zone(world):
    # Friday 6 March 2026 16:00 Berlin; looked at on Monday 10:00 Berlin.
    ticket = open_ticket(world, at=utc(2026, 3, 6, 15, 0))
    response, resolution = ticket_clocks(ticket, "Asia/Shanghai", at=utc(2026, 3, 9, 9, 0))
    assert (resolution.clock, resolution.label, resolution.state, resolution.state_label) == (
        "resolution",
        "Resolution",
        "running",
        "Running",
    )
    assert kinds(resolution) == ["running", "outside_hours", "weekend", "outside_hours", "running"]
    first = resolution.segments[0]
    assert first.start == utc(2026, 3, 6, 15, 0) and first.start.tzinfo == ZoneInfo("Asia/Shanghai")
    assert first.start.hour == 23  # 15:00 UTC is 23:00 in Shanghai
    assert (first.duration_s, first.duration, first.counts) == (7200, "2 h 00 min", True)
    assert resolution.segments[2].label == "Weekend" and not resolution.segments[2].counts
    assert sum(segment.duration_s for segment in resolution.segments if segment.counts) == resolution.elapsed_s
    assert (resolution.elapsed, resolution.target, resolution.used_percent) == ("4 h 00 min", "8 h 00 min", 50)
    assert resolution.due_at == utc(2026, 3, 9, 13, 0)
    # The response clock (30 min) breached on Friday at 16:30 Berlin.
    assert response.state == "breached" and response.breached_at == utc(2026, 3, 6, 15, 30)


def test_holidays_are_named(world):
    # Thursday 2 April 2026, 17:00 Berlin (CEST); Good Friday and Easter Monday are German holidays.
    ticket = open_ticket(world, at=utc(2026, 4, 2, 15, 0))
    resolution = ticket_clocks(ticket, "Europe/Berlin", at=utc(2026, 4, 7, 7, 0))[1]
    holidays = [segment for segment in resolution.segments if segment.kind == "holiday"]
    assert len(holidays) == 2
    assert all(segment.reason and segment.label == f"Holiday: {segment.reason}" for segment in holidays)
    assert resolution.elapsed_s == 2 * 3600  # Thursday 17-18 and Tuesday 08-09


def test_a_pause_says_why(world):
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=utc(2026, 3, 2, 9, 5))
    actions.change_status(ticket, actor=world.people["resolver"], status="pending_customer", at=utc(2026, 3, 2, 9, 10))
    resolution = ticket_clocks(ticket, "UTC", at=utc(2026, 3, 2, 10, 0))[1]
    assert resolution.state == "paused"
    assert resolution.segments[-1].kind == "paused" and resolution.segments[-1].reason == "pending_customer"
    assert resolution.segments[-1].label == "Paused (pending customer)"
    assert resolution.segments[-1].duration == "50 min"


def test_never_explained_before_the_last_event(world):
    ticket = open_ticket(world)
    response = ticket_clocks(ticket, "UTC", at=utc(2026, 1, 1))[0]
    assert response.computed_at == utc(2026, 3, 2, 9, 0) and response.elapsed_s == 0


def test_a_bad_time_zone_is_named(world):
    ticket = open_ticket(world)
    with pytest.raises(ValueError, match="viewer_tz: 'Mars/Olympus'"):
        ticket_clocks(ticket, "Mars/Olympus")
