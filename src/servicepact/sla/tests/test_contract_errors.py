"""Every kind of mistake in a contract is reported at its line and column, naming the field.

Each case edits one line of a frozen copy of the reference contract (contracts/globex-v1.yaml), so the
positions below are those of that file.
"""

from pathlib import Path

import pytest

from servicepact.sla.contract import ContractError, load_contract

CONTRACTS = Path(__file__).parent / "contracts"
REFERENCE_TEXT = (CONTRACTS / "globex-v1.yaml").read_text(encoding="utf-8")


def problems_after(old: str, new: str) -> list[str]:
    assert REFERENCE_TEXT.count(old) == 1, f"edit must match one place: {old!r}"
    with pytest.raises(ContractError) as raised:
        load_contract(REFERENCE_TEXT.replace(old, new), "c.yaml")
    return [str(d) for d in raised.value.diagnostics]


CASES = {
    "misspelt key": (
        "    stop_on: responded",
        "    stop_in: responded",
        "c.yaml:42:5: clocks.response: unknown key 'stop_in' (did you mean \"stop_on\"?); "
        "allowed keys: targets, pause_on, stop_on, on_priority_change, warnings",
    ),
    "unknown clock": (
        "  resolution:\n",
        "  resolutoin:\n",
        "c.yaml:48:3: clocks: unknown key 'resolutoin' (did you mean \"resolution\"?); allowed keys: response, resolution, update",
    ),
    "day as a duration unit": (
        "P2: {within: 30m,",
        "P2: {within: 1d,",
        'c.yaml:45:20: clocks.response.targets.P2.within: "1d" is not a duration; use s, m, h (e.g. 1h30m)',
    ),
    "duration in words": (
        "P2: {within: 30m,",
        "P2: {within: 30 minutes,",
        'c.yaml:45:20: clocks.response.targets.P2.within: "30 minutes" is not a duration',
    ),
    "duration as a bare number": (
        "P2: {within: 30m,",
        "P2: {within: 1800,",
        "c.yaml:45:20: clocks.response.targets.P2.within: 1800 is not a duration",
    ),
    "unknown time zone": (
        "timezone: Asia/Shanghai",
        "timezone: Asia/Shangai",
        'c.yaml:22:15: calendars.cn-business.timezone: unknown time zone "Asia/Shangai" (did you mean "Asia/Shanghai"?)',
    ),
    "undefined service calendar": (
        "tier: 1, calendar: eu-business}\n  mes",
        "tier: 1, calendar: eu-busines}\n  mes",
        'c.yaml:30:56: services.sso.calendar: calendar "eu-busines" is not defined (did you mean "eu-business"?); '
        "defined calendars: 24x7, always, cn-business, eu-business",
    ),
    "undefined target calendar": (
        "P3: {within: 4h,  calendar: service}\n      P4: {within: 8h,",
        "P3: {within: 4h,  calendar: servce}\n      P4: {within: 8h,",
        'c.yaml:46:35: clocks.response.targets.P3.calendar: calendar "servce" is not defined (did you mean "service"?)',
    ),
    "overlapping windows": (
        '["09:00-12:00", "13:00-18:00"]',
        '["09:00-12:00", "11:00-18:00"]',
        'c.yaml:24:16: calendars.cn-business.hours.mon-fri: windows "09:00-12:00" and "11:00-18:00" overlap',
    ),
    "hour 25": (
        '["09:00-12:00", "13:00-18:00"]',
        '["09:00-12:00", "13:00-25:00"]',
        'c.yaml:24:32: calendars.cn-business.hours.mon-fri[1]: "13:00-25:00" has no valid time "25:00"; '
        "use HH:MM from 00:00 to 24:00",
    ),
    "24:00 as a start": (
        '["08:00-18:00"]',
        '["24:00-24:00"]',
        'c.yaml:19:17: calendars.eu-business.hours.mon-fri[0]: "24:00-24:00" has no valid time "24:00"; '
        "use HH:MM from 00:00 to 23:59",
    ),
    "window ending before it starts": (
        '["08:00-18:00"]',
        '["18:00-08:00"]',
        'c.yaml:19:17: calendars.eu-business.hours.mon-fri[0]: "18:00-08:00" ends before it starts',
    ),
    "window without a dash": (
        '["08:00-18:00"]',
        '["08:00 to 18:00"]',
        'c.yaml:19:17: calendars.eu-business.hours.mon-fri[0]: "08:00 to 18:00" is not a window; write "HH:MM-HH:MM"',
    ),
    "misspelt weekday": (
        'mon-fri: ["08:00-18:00"]',
        'mon-fir: ["08:00-18:00"]',
        'c.yaml:19:7: calendars.eu-business.hours.mon-fir: "mon-fir" is not a set of weekdays (did you mean "fri"?)',
    ),
    "day given under two keys": (
        'mon-fri: ["08:00-18:00"]\n',
        'mon-fri: ["08:00-18:00"]\n      mon: ["19:00-20:00"]\n',
        'c.yaml:20:7: calendars.eu-business.hours.mon: mon is given twice, in "mon-fri" and in "mon"; give each',
    ),
    "matrix priority without a target": (
        "      P4: {within: 80h, calendar: service}\n",
        "",
        "c.yaml:50:5: clocks.resolution.targets: no target for priority P4; the priority matrix uses P1, P2, P3, P4",
    ),
    "target for a priority not in the matrix": (
        "      P4: {within: 8h,  calendar: service}",
        "      P4: {within: 8h,  calendar: service}\n      P5: {within: 9h,  calendar: service}",
        "c.yaml:48:7: clocks.response.targets.P5: priority P5 is not in the priority matrix; "
        "the matrix uses P1, P2, P3, P4",
    ),
    "ragged matrix": (
        "low:    {high: P3, medium: P4, low: P4}",
        "low:    {high: P3, low: P4}",
        'c.yaml:38:5: priorities.matrix.low: urgencies differ from "high" (lacks medium)',
    ),
    "unknown holiday country": (
        "holidays: DE ",
        "holidays: XX ",
        'c.yaml:20:15: calendars.eu-business.holidays: unknown holiday country "XX"',
    ),
    "unknown pause status": (
        "pause_on: [pending_customer]",
        "pause_on: [waiting_for_customer]",
        "c.yaml:49:16: clocks.resolution.pause_on[0]: \"waiting_for_customer\" is not allowed; expected 'new', ",
    ),
    "unknown stop event": (
        "stop_on: responded",
        "stop_on: replied",
        "c.yaml:42:14: clocks.response.stop_on: \"replied\" is not allowed; expected 'responded', 'new'",
    ),
    "unknown measure": (
        "measure: resolution_met_ratio",
        "measure: resolution_ratio",
        'c.yaml:58:14: measures[0].measure: unknown measure "resolution_ratio" (did you mean "resolution_met_ratio"?); '
        "known measures: availability, backlog, ",
    ),
    "duplicate measure id": (
        "  - id: first-contact-resolution",
        "  - id: response-compliance",
        'c.yaml:68:9: measures[2].id: duplicate measure id "response-compliance" (also measures[1])',
    ),
    "credit rule naming an unknown measure": (
        "{measure: response-compliance,   below",
        "{measure: response-complance,   below",
        'c.yaml:82:17: credits.rules[2].measure: no measure has the id "response-complance" '
        '(did you mean "response-compliance"?)',
    ),
    "percent above 100": (
        "cap: 15%",
        "cap: 150%",
        'c.yaml:78:8: credits.cap: "150%" is out of range; a ratio lies between 0 and 1 (0% and 100%)',
    ),
    "ratio above 1 for a ratio measure": (
        "baseline: 0.90",
        "baseline: 1.5",
        "c.yaml:60:15: measures[0].baseline: 1.5 is out of range; resolution_met_ratio is a ratio between 0 and 1",
    ),
    "target above 100 percent": (
        'target: ">= 0.98"',
        'target: ">= 98"',
        'c.yaml:66:13: measures[1].target: ">= 98" is out of range; response_met_ratio is a ratio between 0 and 1',
    ),
    "target without operator": (
        'target: ">= 0.98"',
        "target: 0.98",
        'c.yaml:66:13: measures[1].target: 0.98 is not a target; write an operator and a value, e.g. ">= 0.95"',
    ),
    "missing required key at the top": (
        "title: Globex application maintenance, Europe and Asia\n",
        "",
        "c.yaml:5:1: missing required key 'title'",
    ),
    "missing required key in a target": (
        "P1: {within: 15m, calendar: always}",
        "P1: {calendar: always}",
        "c.yaml:44:7: clocks.response.targets.P1: missing required key 'within'",
    ),
    "wrong type": (
        "tier: 1, calendar: eu-business}\n  sso",
        "tier: one, calendar: eu-business}\n  sso",
        'c.yaml:29:36: services.sap-erp.tier: expected a whole number, got "one"',
    ),
    "list where a mapping belongs": (
        "reporting:\n  timezone: Europe/Berlin",
        "reporting:\n  - Europe/Berlin",
        "c.yaml:13:3: reporting: expected a mapping (key: value), got a list",
    ),
    "effective to before from": (
        "to: 2027-12-31",
        "to: 2025-12-31",
        "c.yaml:10:12: effective: 'to' (2025-12-31) is before 'from' (2026-01-01)",
    ),
    "not a date": (
        "from: 2026-01-01",
        "from: 2026-13-01",
        'c.yaml:10:19: effective.from: "2026-13-01" is not a date; write YYYY-MM-DD',
    ),
    "reserved calendar name": (
        "  always: 24x7",
        "  service: 24x7",
        'c.yaml:26:3: calendars.service: "service" is a reserved calendar name; choose another',
    ),
    "calendar neither 24x7 nor mapping": (
        "  always: 24x7",
        "  always: 24/7",
        'c.yaml:26:11: calendars.always: "24/7" is not a calendar; write "24x7" or a mapping with timezone and hours',
    ),
    "duplicate YAML key": (
        "version: 1\n",
        "version: 1\nversion: 2\n",
        "c.yaml:7:1: duplicate key 'version' (first given at line 6)",
    ),
    "YAML syntax error": (
        "high:   {high: P1, medium: P2, low: P3}",
        "high:   {high: P1, medium: P2, low: P3",
        "c.yaml:37:11: YAML syntax error: ",
    ),
    "contract id with capitals": (
        "contract: globex-ito",
        "contract: Globex ITO",
        'c.yaml:5:11: contract: "Globex ITO" is not a contract id; use lower-case letters',
    ),
    "breach warning given twice": (
        "    pause_on: [pending_customer]\n",
        "    pause_on: [pending_customer]\n    warnings: [{at: 50%, notify: [assignee]}, {at: 0.5, notify: [team_lead]}]\n",
        "c.yaml:50:52: clocks.resolution.warnings[1].at: a warning at 50% is given twice",
    ),
    "breach warning at 0": (
        "    pause_on: [pending_customer]\n",
        "    pause_on: [pending_customer]\n    warnings: [{at: 0%, notify: [assignee]}]\n",
        "c.yaml:50:21: clocks.resolution.warnings[0].at: a warning at 0% would fire when the clock starts",
    ),
    "negative tier": (
        "tier: 3,",
        "tier: 0,",
        "c.yaml:32:38: services.hr-portal.tier: 0 is too small; expected at least 1",
    ),
}


@pytest.mark.parametrize("old, new, expected", CASES.values(), ids=CASES.keys())
def test_each_mistake_is_reported_at_its_place(old: str, new: str, expected: str) -> None:
    problems = problems_after(old, new)
    assert any(problem.startswith(expected) for problem in problems), "\n".join(problems)


def test_every_error_is_reported_at_once() -> None:
    with pytest.raises(ContractError) as raised:
        load_contract((CONTRACTS / "many-errors.yaml").read_bytes(), "many-errors.yaml")
    places = [(d.line, d.col) for d in raised.value.diagnostics]
    assert places == [
        (6, 12),  # effective to before from
        (7, 23),  # time zone
        (12, 16),  # overlapping windows
        (13, 13),  # hour 25
        (14, 15),  # holiday country
        (16, 39),  # undefined calendar
        (24, 5),  # no target for P3
        (25, 20),  # 1d
        (28, 16),  # pause status
        (33, 7),  # P4 not in the matrix
        (40, 9),  # duplicate measure id
        (41, 14),  # unknown measure
        (42, 16),  # frequency
        (47, 8),  # cap
        (49, 17),  # credit rule's measure
    ]
    assert all(d.severity == "error" and d.file == "many-errors.yaml" for d in raised.value.diagnostics)
    assert str(raised.value).count("\n") == len(places) - 1


def test_empty_file_is_an_error_naming_the_expected_keys() -> None:
    with pytest.raises(
        ContractError, match=r"c.yaml:1:1: a contract is a mapping of keys, not null; expected keys contract, version"
    ):
        load_contract(b"", "c.yaml")


def test_text_that_is_not_utf8_is_an_error_with_its_place() -> None:
    with pytest.raises(ContractError, match=r"c.yaml:2:8: the file is not UTF-8 text"):
        load_contract(b"contract: x\ntitle: \xff\n", "c.yaml")


def test_custom_yaml_tags_are_refused() -> None:
    problems = problems_after("customer: globex", "customer: !!python/object:os.system globex")
    assert any(p.startswith("c.yaml:8:11: unsupported YAML tag") for p in problems), problems
