"""Checks that compare one part of a contract with another: references, the priority matrix against the
clocks' targets, measure names and ids, ranges that depend on what a measure counts.

They read the document as YAML gave it (plain dicts and lists), so they run even where the field checks
of ``contract_document`` found errors, and every problem is reported in one pass. Values that are of
the wrong type are skipped here: the field checks report those.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pydantic_core import PydanticCustomError

from servicepact.sla.contract_errors import did_you_mean, one_of
from servicepact.sla.contract_values import (
    ALWAYS_OPEN,
    WEEKDAYS,
    format_percent,
    parse_comparison,
    parse_date,
    parse_measure_value,
    parse_ratio,
    parse_weekdays,
    shown,
)
from servicepact.sla.yamlsource import Path

SERVICE_CALENDAR = "service"  # a target's calendar: the calendar of the ticket's service
AVAILABILITY = "availability"  # the measure of SLA-SPEC section 6, which counts outages, not tickets
AVAILABILITY_ONLY = ("service", "calendar")  # measure keys only availability takes


@dataclass(frozen=True, slots=True)
class Finding:
    path: Path
    message: str
    at_key: bool = False  # point at the key naming `path` rather than at its value


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list:
    return value if isinstance(value, list) else []


def measure_unit(measure: str) -> str:
    """What a measure counts, from its name: "ratio" (0..1), "seconds", or a plain "number"."""
    if measure.endswith(("_ratio", "_share")) or measure == AVAILABILITY:
        return "ratio"
    if measure.endswith("_s"):
        return "seconds"
    return "number"


def check_contract(data: dict, known_measures: frozenset[str]) -> list[Finding]:
    return [
        *_check_calendars(_mapping(data.get("calendars"))),
        *_check_services(data),
        *_check_matrix(data),
        *_check_targets(data),
        *_check_breach_warnings(_mapping(data.get("clocks"))),
        *_check_measures(_items(data.get("measures")), known_measures),
        *_check_availability(data),
        *_check_credits(data),
        *_check_billing(data),
        *_check_change_freezes(data),
    ]


def _check_calendars(calendars: dict) -> Iterator[Finding]:
    for name, calendar in calendars.items():
        if name in (SERVICE_CALENDAR, ALWAYS_OPEN):
            yield Finding(("calendars", name), f'"{name}" is a reserved calendar name; choose another', True)
        if not isinstance(calendar, dict):
            continue
        yield from _check_days_given_once(("calendars", name, "hours"), _mapping(calendar.get("hours")))
        hours = calendar.get("hours")
        if isinstance(hours, dict) and all(isinstance(windows, list) and not windows for windows in hours.values()):
            # no target could ever be reached on it: every deadline would lie beyond the last supported year
            yield Finding(
                ("calendars", name, "hours"),
                f"calendar '{name}' is never open; give at least one window, or use the 24x7 calendar",
            )
        closed = {_date_or_none(day) for day in _items(calendar.get("closed"))} - {None}
        for index, day in enumerate(_items(calendar.get("open"))):
            if _date_or_none(day) in closed:
                yield Finding(("calendars", name, "open", index), f"{day} is listed both as closed and as open")


def _check_days_given_once(path: Path, hours: dict) -> Iterator[Finding]:
    key_of_day: dict[int, str] = {}
    for key in hours:
        try:
            days = parse_weekdays(key)
        except PydanticCustomError:
            continue  # reported by the field check
        repeated_by_key: dict[str, list[str]] = {}
        for day in days:
            if day in key_of_day:
                repeated_by_key.setdefault(key_of_day[day], []).append(WEEKDAYS[day])
            else:
                key_of_day[day] = key
        for earlier_key, names in repeated_by_key.items():
            yield Finding(
                (*path, key),
                f'{", ".join(names)} {"is" if len(names) == 1 else "are"} given twice, in "{earlier_key}" and in "{key}"; '
                "give each day's windows under one key",
                True,
            )


def _date_or_none(value: Any) -> Any:
    try:
        return parse_date(value)
    except PydanticCustomError:
        return None


def _calendar_names(data: dict) -> set[str]:
    return set(_mapping(data.get("calendars"))) | {ALWAYS_OPEN}


def _check_calendar_reference(path: Path, name: Any, defined: set[str], *, allow_service: bool) -> Iterator[Finding]:
    if not isinstance(name, str) or name in defined or (allow_service and name == SERVICE_CALENDAR):
        return
    choices = defined | ({SERVICE_CALENDAR} if allow_service else set())
    yield Finding(
        path, f'calendar "{name}" is not defined{did_you_mean(name, choices)}; defined calendars: {one_of(choices)}'
    )


def _check_services(data: dict) -> Iterator[Finding]:
    defined = _calendar_names(data)
    for service_id, service in _mapping(data.get("services")).items():
        calendar = _mapping(service).get("calendar")
        yield from _check_calendar_reference(
            ("services", service_id, "calendar"), calendar, defined, allow_service=False
        )


def _check_change_freezes(data: dict) -> Iterator[Finding]:
    """A freeze names services of the contract."""
    services = set(_mapping(data.get("services")))
    for index, freeze in enumerate(_items(_mapping(data.get("changes")).get("freezes"))):
        for position, service in enumerate(_items(_mapping(freeze).get("services"))):
            if isinstance(service, str) and service not in services:
                path = ("changes", "freezes", index, "services", position)
                yield Finding(path, f'"{service}" is not a service of the contract{did_you_mean(service, services)}')


def matrix_priorities(data: dict) -> set[str]:
    matrix = _mapping(_mapping(data.get("priorities")).get("matrix"))
    return {p for row in matrix.values() for p in _mapping(row).values() if isinstance(p, str)}


def _check_matrix(data: dict) -> Iterator[Finding]:
    matrix = _mapping(_mapping(data.get("priorities")).get("matrix"))
    rows = [(impact, row) for impact, row in matrix.items() if isinstance(row, dict)]
    if not rows:
        return
    first_impact, first_row = rows[0]
    for impact, row in rows[1:]:
        missing = set(first_row) - set(row)
        extra = set(row) - set(first_row)
        if missing or extra:
            differences = [f"lacks {one_of(missing)}" if missing else "", f"adds {one_of(extra)}" if extra else ""]
            yield Finding(
                ("priorities", "matrix", impact),
                f'urgencies differ from "{first_impact}" ({"; ".join(d for d in differences if d)}); '
                "every impact must give a priority for the same urgencies",
                True,
            )


def _clauses_with_targets(data: dict) -> Iterator[tuple[Path, dict]]:
    for clock, definition in _mapping(data.get("clocks")).items():
        yield ("clocks", clock), _mapping(definition)
    for team, definition in _mapping(data.get("olas")).items():
        yield ("olas", team), _mapping(definition)


def _check_targets(data: dict) -> Iterator[Finding]:
    priorities = matrix_priorities(data)
    calendars = _calendar_names(data)
    for path, clause in _clauses_with_targets(data):
        targets = clause.get("targets")
        if not isinstance(targets, dict):
            continue
        missing = sorted(priorities - set(targets))
        if missing and priorities:
            yield Finding(
                (*path, "targets"),
                f"no target for priority {', '.join(missing)}; the priority matrix uses {one_of(priorities)}",
                True,
            )
        for priority, target in targets.items():
            if priorities and priority not in priorities:
                yield Finding(
                    (*path, "targets", priority),
                    f"priority {priority} is not in the priority matrix{did_you_mean(priority, priorities)}; "
                    f"the matrix uses {one_of(priorities)}",
                    True,
                )
            calendar = _mapping(target).get("calendar")
            yield from _check_calendar_reference(
                (*path, "targets", priority, "calendar"), calendar, calendars, allow_service=True
            )


def _check_breach_warnings(clocks: dict) -> Iterator[Finding]:
    for clock, definition in clocks.items():
        seen: set[Fraction] = set()
        for index, warning in enumerate(_items(_mapping(definition).get("warnings"))):
            try:
                at = parse_ratio(_mapping(warning).get("at"))
            except PydanticCustomError:
                continue  # reported by the field check
            path = ("clocks", clock, "warnings", index, "at")
            if at == 0:
                yield Finding(path, "a warning at 0% would fire when the clock starts; give a share above 0")
            elif at in seen:
                yield Finding(path, f"a warning at {format_percent(at)} is given twice")
            seen.add(at)


def _check_measures(measures: list, known_measures: frozenset[str]) -> Iterator[Finding]:
    first_index_of_id: dict[str, int] = {}
    for index, measure in enumerate(measures):
        measure = _mapping(measure)
        measure_id = measure.get("id")
        if isinstance(measure_id, str):
            if measure_id in first_index_of_id:
                yield Finding(
                    ("measures", index, "id"),
                    f'duplicate measure id "{measure_id}" (also measures[{first_index_of_id[measure_id]}])',
                )
            else:
                first_index_of_id[measure_id] = index
        name = measure.get("measure")
        if not isinstance(name, str):
            continue
        if name not in known_measures:
            yield Finding(
                ("measures", index, "measure"),
                f'unknown measure "{name}"{did_you_mean(name, known_measures)}; known measures: {one_of(known_measures)}',
            )
            continue
        yield from _check_measure_value(("measures", index, "target"), measure.get("target"), name, comparison=True)
        yield from _check_measure_value(("measures", index, "baseline"), measure.get("baseline"), name)


def _check_availability(data: dict) -> Iterator[Finding]:
    """An availability measure names a defined service and, optionally, a defined calendar; other
    measures take neither; ``maintenance`` names a defined calendar (SLA-SPEC section 6)."""
    calendars = _calendar_names(data)
    services = _mapping(data.get("services"))
    for index, measure in enumerate(map(_mapping, _items(data.get("measures")))):
        path = ("measures", index)
        if measure.get("measure") != AVAILABILITY:
            for key in AVAILABILITY_ONLY:
                if key in measure:
                    yield Finding((*path, key), f"'{key}' is only for measure availability", True)
            continue
        service = measure.get("service")
        if "service" not in measure:
            yield Finding((*path, "measure"), "measure availability needs 'service', the service it measures")
        elif isinstance(service, str) and services and service not in services:
            yield Finding(
                (*path, "service"),
                f'service "{service}" is not defined{did_you_mean(service, services)}; '
                f"defined services: {one_of(services)}",
            )
        yield from _check_calendar_reference(
            (*path, "calendar"), measure.get("calendar"), calendars, allow_service=False
        )
        if "exclude" in measure:
            yield Finding((*path, "exclude"), "availability counts outages, not tickets: it has no exclusions", True)
    yield from _check_calendar_reference(("maintenance",), data.get("maintenance"), calendars, allow_service=False)


def _check_measure_value(path: Path, written: Any, measure: str, *, comparison: bool = False) -> Iterator[Finding]:
    if written is None:
        return
    try:
        value = parse_comparison(written).value if comparison else parse_measure_value(written)
    except PydanticCustomError:
        return  # reported by the field check
    unit = measure_unit(measure)
    if unit == "ratio" and not 0 <= value <= 1:
        yield Finding(path, f"{shown(written)} is out of range; {measure} is a ratio between 0 and 1 (0% and 100%)")
    elif value < 0:
        yield Finding(path, f"{shown(written)} is negative; {measure} is never below 0")


def _check_credits(data: dict) -> Iterator[Finding]:
    credits = data.get("credits")
    if not isinstance(credits, dict):
        return
    measures_by_id = {
        m.get("id"): m.get("measure")
        for m in map(_mapping, _items(data.get("measures")))
        if isinstance(m.get("id"), str)
    }
    for index, rule in enumerate(_items(credits.get("rules"))):
        rule = _mapping(rule)
        measure_id = rule.get("measure")
        if not isinstance(measure_id, str):
            continue
        if measure_id not in measures_by_id:
            yield Finding(
                ("credits", "rules", index, "measure"),
                f'no measure has the id "{measure_id}"{did_you_mean(measure_id, measures_by_id)}; '
                f"measure ids: {one_of(measures_by_id) or 'none'}",
            )
        elif isinstance(measures_by_id[measure_id], str):
            yield from _check_measure_value(
                ("credits", "rules", index, "below"), rule.get("below"), measures_by_id[measure_id]
            )


def _check_billing(data: dict) -> Iterator[Finding]:
    billing = data.get("billing")
    if not isinstance(billing, dict):
        return
    rates = _mapping(billing.get("rates"))
    for index, role in enumerate(_items(billing.get("billable"))):
        if isinstance(role, str) and rates and role not in rates:
            yield Finding(
                ("billing", "billable", index),
                f'role "{role}" has no rate{did_you_mean(role, rates)}; roles with a rate: {one_of(rates)}',
            )
    fee = _mapping(_mapping(data.get("credits")).get("monthly_fee"))
    currency, fee_currency = billing.get("currency"), fee.get("currency")
    if isinstance(currency, str) and isinstance(fee_currency, str) and currency != fee_currency:
        yield Finding(
            ("billing", "currency"),
            f"{currency} differs from credits.monthly_fee.currency {fee_currency}: an invoice has one currency",
        )
