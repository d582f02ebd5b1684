"""Shifts as instants: across midnight, across DST changes, a country's holidays and make-up working days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from servicepact.rosters import actions
from servicepact.rosters.models import ShiftPattern
from servicepact.rosters.schedule import shift_on, shifts_at
from servicepact.testing import factories

BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(zone, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)


@pytest.fixture
def berlin_team(world):
    return factories.TeamFactory(
        slug="ops-berlin", name="Operations Berlin", organization=world.provider, timezone="Europe/Berlin"
    )


@pytest.fixture
def night(berlin_team):
    return ShiftPattern.objects.create(
        team=berlin_team, name="Night", weekdays=[1, 2, 3, 4, 5, 6], starts_at=dt.time(22), ends_at=dt.time(6)
    )


def test_a_shift_crossing_midnight_belongs_to_the_day_it_starts(night):
    shift = shift_on(night, dt.date(2026, 1, 9))  # a Friday
    assert shift.starts == local(BERLIN, 2026, 1, 9, 22)
    assert shift.ends == local(BERLIN, 2026, 1, 10, 6)
    assert night.crosses_midnight
    # Saturday 03:00 is Friday's night shift; Monday 03:00 is nobody's (no shift starts on Sunday).
    assert [s.date for s in shifts_at(local(BERLIN, 2026, 1, 10, 3))] == [dt.date(2026, 1, 9)]
    assert shifts_at(local(BERLIN, 2026, 1, 12, 3)) == []
    assert shifts_at(local(BERLIN, 2026, 1, 10, 6)) == []  # the end is not part of the shift


def test_a_night_shift_lasts_seven_hours_in_spring_and_nine_in_autumn(night):
    spring = shift_on(night, dt.date(2026, 3, 28))  # clocks go forward at 02:00 on Sunday 29 March
    autumn = shift_on(night, dt.date(2026, 10, 24))  # and back at 03:00 on Sunday 25 October
    ordinary = shift_on(night, dt.date(2026, 3, 21))
    assert ordinary.ends - ordinary.starts == dt.timedelta(hours=8)
    assert spring.ends - spring.starts == dt.timedelta(hours=7)
    assert autumn.ends - autumn.starts == dt.timedelta(hours=9)
    # 05:30 local after the change is still the night shift, in real time 6.5 h after it began.
    assert [s.date for s in shifts_at(local(BERLIN, 2026, 3, 29, 5, 30))] == [dt.date(2026, 3, 28)]


def test_a_start_in_the_skipped_hour_begins_after_the_gap(berlin_team):
    early = ShiftPattern.objects.create(
        team=berlin_team, name="Early", weekdays=[7], starts_at=dt.time(2, 30), ends_at=dt.time(10)
    )
    shift = shift_on(early, dt.date(2026, 3, 29))
    assert shift.starts == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)  # 03:30 CEST
    assert shift.ends == dt.datetime(2026, 3, 29, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def afternoon(world):
    team = world.teams["app-cn"]
    return ShiftPattern.objects.create(
        team=team,
        name="Afternoon",
        weekdays=[1, 2, 3, 4, 5],
        starts_at=dt.time(13),
        ends_at=dt.time(22),
        holidays="CN",
    )


def test_china_holidays_and_make_up_working_days_as_the_sla_calendars_read_them(afternoon):
    assert shift_on(afternoon, dt.date(2026, 1, 1)) is None  # New Year's Day, a Thursday
    assert shift_on(afternoon, dt.date(2026, 1, 2)) is None  # the day off made up on Sunday 4 January
    sunday = shift_on(afternoon, dt.date(2026, 1, 4))  # the make-up working day
    assert sunday.starts == local(SHANGHAI, 2026, 1, 4, 13)
    assert shift_on(afternoon, dt.date(2026, 1, 11)) is None  # an ordinary Sunday
    assert [s.pattern for s in shifts_at(local(SHANGHAI, 2026, 1, 4, 15))] == [afternoon]


def test_one_off_changes_cancel_or_add_a_shift_with_other_hours(world, afternoon):
    lead = world.people["team-lead"]
    actions.change_shift(afternoon, actor=lead, date=dt.date(2026, 1, 5), off=True, reason="Team offsite")
    actions.change_shift(
        afternoon,
        actor=lead,
        date=dt.date(2026, 1, 10),
        off=False,
        reason="Migration weekend",
        starts_at=dt.time(9),
        ends_at=dt.time(1),
    )
    assert shift_on(afternoon, dt.date(2026, 1, 5)) is None
    saturday = shift_on(afternoon, dt.date(2026, 1, 10))
    assert (saturday.starts, saturday.ends) == (local(SHANGHAI, 2026, 1, 10, 9), local(SHANGHAI, 2026, 1, 11, 1))


def test_rosters_by_week_and_swaps_say_who_is_on_shift(world, afternoon):
    lead, resolver = world.people["team-lead"], world.people["resolver"]
    actions.roster_person(afternoon, actor=lead, week=dt.date(2026, 1, 5), person=resolver)
    actions.roster_person(afternoon, actor=lead, week=dt.date(2026, 1, 5), person=lead)
    [tuesday] = shifts_at(local(SHANGHAI, 2026, 1, 6, 14))
    assert {p.email for p in tuesday.people} == {"resolver@example.test", "team-lead@example.test"}
    other = factories.UserFactory(email="cover@example.test", organization=world.provider)
    from servicepact.accounts.models import Membership, Role

    Membership.objects.create(user=other, organization=world.provider, team=afternoon.team, role=Role.RESOLVER)
    actions.swap_shift(afternoon, actor=resolver, date=dt.date(2026, 1, 7), away=resolver, cover=other, reason="Doctor")
    [wednesday] = shifts_at(local(SHANGHAI, 2026, 1, 7, 14))
    assert {p.email for p in wednesday.people} == {"cover@example.test", "team-lead@example.test"}
    [next_week] = shifts_at(local(SHANGHAI, 2026, 1, 13, 14))
    assert next_week.people == []


def test_bad_input_is_refused_by_field_and_changes_nothing(world, afternoon):
    from servicepact.refusals import ActionRefused

    lead = world.people["team-lead"]
    with pytest.raises(ActionRefused) as refused:
        actions.roster_person(afternoon, actor=lead, week=dt.date(2026, 1, 6), person=lead)
    assert "week" in refused.value.errors
    with pytest.raises(ActionRefused) as refused:
        actions.create_pattern(
            actor=lead,
            team=afternoon.team,
            name="Late",
            weekdays=[1],
            starts_at=dt.time(9),
            ends_at=dt.time(17),
            holidays="XX",
        )
    assert "holidays" in refused.value.errors
    with pytest.raises(ActionRefused) as refused:
        actions.roster_person(afternoon, actor=lead, week=dt.date(2026, 1, 5), person=world.people["agent"])
    assert "person" in refused.value.errors
    assert ShiftPattern.objects.count() == 1
