"""Window boundaries that daylight-saving time skips or repeats are warnings, not errors."""

from pathlib import Path

from servicepact.sla.contract import load_contract

CONTRACTS = Path(__file__).parent / "contracts"
DST_TEXT = (CONTRACTS / "dst-gap.yaml").read_text(encoding="utf-8")


def warnings_of(text: str) -> list[str]:
    return [str(w) for w in load_contract(text, "c.yaml").warnings]


def test_boundary_in_the_spring_gap_and_the_autumn_repeat_is_warned_once_each() -> None:
    assert warnings_of(DST_TEXT) == [
        "c.yaml:12:13: warning: calendars.night.hours.sun[0]: 02:30 does not exist (daylight-saving gap) in "
        "Europe/Berlin on 2026-03-29 and on 1 more date in force; it is read as 03:30 after the jump",
        "c.yaml:12:13: warning: calendars.night.hours.sun[0]: 02:30 occurs twice (clocks fall back) in "
        "Europe/Berlin on 2026-10-25 and on 1 more date in force; its first occurrence counts",
    ]


def test_only_dates_in_force_count() -> None:
    one_year = DST_TEXT.replace("to: 2027-12-31", "to: 2026-06-30")
    assert warnings_of(one_year) == [
        "c.yaml:12:13: warning: calendars.night.hours.sun[0]: 02:30 does not exist (daylight-saving gap) in "
        "Europe/Berlin on 2026-03-29; it is read as 03:30 after the jump"
    ]


def test_boundary_on_days_without_a_change_is_fine() -> None:
    # The changes in Europe/Berlin happen on Sundays; these windows are on weekdays only.
    assert warnings_of(DST_TEXT.replace('sun: ["02:30-05:00"]', 'sat: ["02:30-05:00"]')) == []


def test_zone_without_daylight_saving_is_fine() -> None:
    assert (
        warnings_of(DST_TEXT.replace("timezone: Europe/Berlin\n    hours", "timezone: Asia/Shanghai\n    hours")) == []
    )


def test_end_of_gap_hour_is_a_warning_too() -> None:
    warnings = warnings_of(DST_TEXT.replace("02:30-05:00", "01:00-02:00"))
    assert len(warnings) == 2  # 02:00 itself is skipped in March and repeated in October
    assert "02:00 does not exist" in warnings[0]


def test_closed_and_open_dates_outside_the_effective_period_are_warned() -> None:
    text = DST_TEXT.replace(
        '      mon-fri: ["08:00-18:00"]\n', '      mon-fri: ["08:00-18:00"]\n    closed: [2026-05-01, 2028-01-03]\n'
    )
    text = text.replace('sun: ["02:30-05:00"]', 'sat: ["02:30-05:00"]')
    assert warnings_of(text) == [
        "c.yaml:14:26: warning: calendars.night.closed[1]: 2028-01-03 lies outside the contract's effective period "
        "(2026-01-01 to 2027-12-31)"
    ]
