"""Clause-by-clause differences between two contracts, for people reviewing a new version.

Each contract is described as items (a calendar, a service, a clock, a measure ...) with fields written
as people read them ("8h service", "08:00-18:00"); the diff says which items were added or removed and
which fields changed from what to what.
"""

from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace

from servicepact.sla.contract_model import ClockDef, Contract, OlaDef, Target
from servicepact.sla.contract_values import WEEKDAYS, format_number, format_percent, format_window
from servicepact.sla.durations import format_duration

# item -> field -> text; the item name starts with its clause ("calendars.eu-business")
Description = dict[str, dict[str, str]]
_HOURS = "hours "


@dataclass(frozen=True, slots=True)
class Change:
    clause: str
    item: str
    field: str  # "" when the whole item was added or removed
    change: str  # "added" | "removed" | "changed"
    old: str | None
    new: str | None

    def __str__(self) -> str:
        if not self.field:
            return f"{self.item}: {self.change} ({self.old if self.change == 'removed' else self.new})"
        return f"{self.item}: {self.field}: {self.old or '(none)'} -> {self.new or '(none)'}"

    def as_json(self) -> dict:
        return asdict(self)


def diff_contracts(old: Contract, new: Contract) -> list[Change]:
    before, after = describe(old), describe(new)
    changes = []
    items = [*before, *(name for name in after if name not in before)]
    clause_order = {clause: rank for rank, clause in enumerate(dict.fromkeys(_clause(item) for item in items))}
    for item in sorted(items, key=lambda name: clause_order[_clause(name)]):
        clause = _clause(item)
        if item not in after:
            changes.append(Change(clause, item, "", "removed", _summary(before[item]), None))
        elif item not in before:
            changes.append(Change(clause, item, "", "added", None, _summary(after[item])))
        else:
            fields_before, fields_after = before[item], after[item]
            for field in [*fields_before, *(f for f in fields_after if f not in fields_before)]:
                old_text, new_text = fields_before.get(field), fields_after.get(field)
                if old_text != new_text:
                    kind = "added" if old_text is None else "removed" if new_text is None else "changed"
                    changes.append(Change(clause, item, field, kind, old_text, new_text))
    return _join_weekdays(changes)


def _clause(item: str) -> str:
    return item.split(".")[0]


def _join_weekdays(changes: list[Change]) -> list[Change]:
    """One line for "hours mon-fri" instead of five when consecutive days changed alike."""
    joined: list[Change] = []
    for change in changes:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and change.field.startswith(_HOURS)
            and previous.field.startswith(_HOURS)
            and (previous.item, previous.old, previous.new) == (change.item, change.old, change.new)
        ):
            first_day = previous.field[len(_HOURS) :].split("-")[0]
            last_day = previous.field[len(_HOURS) :].split("-")[-1]
            day = change.field[len(_HOURS) :]
            if WEEKDAYS.index(day) == WEEKDAYS.index(last_day) + 1:
                joined[-1] = replace(previous, field=f"{_HOURS}{first_day}-{day}")
                continue
        joined.append(change)
    return joined


def _summary(fields: dict[str, str]) -> str:
    return ", ".join(f"{name} {text}" for name, text in fields.items())


def describe(contract: Contract) -> Description:
    return dict(
        [
            _metadata(contract),
            *_calendars(contract),
            *_services(contract),
            *_matrix(contract),
            *_clocks(contract),
            *_olas(contract),
            *_measures(contract),
            *_credits(contract),
            *_billing(contract),
        ]
    )


def _metadata(contract: Contract) -> tuple[str, dict[str, str]]:
    return "metadata", {
        "id": contract.id,
        "version": str(contract.version),
        "title": contract.title,
        "customer": contract.customer,
        "provider": contract.provider,
        "vendors": ", ".join(contract.vendors) or "none",
        "effective from": str(contract.effective_from),
        "effective to": str(contract.effective_to or "open-ended"),
        "reporting timezone": contract.reporting_timezone,
        "maintenance windows": contract.maintenance or "none",
    }


def _calendars(contract: Contract) -> Iterator[tuple[str, dict[str, str]]]:
    for name, calendar in contract.calendars.items():
        if calendar.always_open:
            yield f"calendars.{name}", {"hours": "24x7"}
            continue
        fields = {"timezone": calendar.timezone}
        for day, windows in calendar.weekly.items():
            fields[f"{_HOURS}{WEEKDAYS[day]}"] = ", ".join(map(format_window, windows)) or "closed"
        fields["holidays"] = calendar.holidays or "none"
        fields.update({f"closed {day}": "closed" for day in calendar.closed})
        fields.update({f"open {day}": "open" for day in calendar.open})
        yield f"calendars.{name}", fields


def _services(contract: Contract) -> Iterator[tuple[str, dict[str, str]]]:
    for service_id, service in contract.services.items():
        yield f"services.{service_id}", {"name": service.name, "tier": str(service.tier), "calendar": service.calendar}


def _matrix(contract: Contract) -> Iterator[tuple[str, dict[str, str]]]:
    for impact, row in contract.matrix.items():
        yield f"matrix.{impact}", {f"urgency {urgency}": priority for urgency, priority in row.items()}


def _target(target: Target) -> str:
    return f"{format_duration(target.within_s)} {target.calendar}"


def _timed_fields(clause: ClockDef | OlaDef) -> dict[str, str]:
    fields = {f"target {priority}": _target(target) for priority, target in clause.targets.items()}
    fields["pause_on"] = ", ".join(sorted(clause.pause_on)) or "none"
    return fields


def _clocks(contract: Contract) -> Iterator[tuple[str, dict[str, str]]]:
    for name, clock in contract.clocks.items():
        fields = _timed_fields(clock)
        fields["stop_on"] = clock.stop_on or "none"
        fields["on_priority_change"] = clock.on_priority_change
        for warning in clock.warnings:
            fields[f"warning at {format_percent(warning.at)}"] = "notify " + ", ".join(warning.notify)
        yield f"clocks.{name}", fields


def _olas(contract: Contract) -> Iterator[tuple[str, dict[str, str]]]:
    for team, ola in contract.olas.items():
        yield f"olas.{team}", {"underpinning": str(ola.underpinning).lower(), **_timed_fields(ola)}


def _measures(contract: Contract) -> Iterator[tuple[str, dict[str, str]]]:
    for measure in contract.measures:
        fields = {
            "measure": measure.measure,
            "frequency": measure.frequency,
            "target": str(measure.target),
            "baseline": "none" if measure.baseline is None else format_number(measure.baseline),
            "measured_by": measure.measured_by,
        }
        for key, values in measure.exclude.items():
            fields[f"exclude {key}"] = ", ".join(values)
        if measure.service is not None:  # availability (SLA-SPEC section 6)
            fields["service"] = measure.service
            fields["calendar"] = measure.calendar or "the service's"
        yield f"measures.{measure.id}", fields


def _credits(contract: Contract) -> Iterator[tuple[str, dict[str, str]]]:
    credits = contract.credits
    if credits is None:
        return
    fields = {"monthly fee": f"{credits.monthly_fee_amount} {credits.currency}", "cap": format_percent(credits.cap)}
    for rule in credits.rules:
        fields[f"rule {rule.measure} below {format_number(rule.below)}"] = f"credit {format_percent(rule.credit)}"
    yield "credits", fields


def _billing(contract: Contract) -> Iterator[tuple[str, dict[str, str]]]:
    billing = contract.billing
    if billing is None:
        return
    fields = {"currency": billing.currency, "monthly fee": f"{billing.monthly_fee} {billing.currency}"}
    for role, rate in sorted(billing.rates.items()):
        billed = "billed" if role in billing.billable else "not billed"
        fields[f"rate {role}"] = f"{rate} {billing.currency} an hour, {billed}"
    yield "billing", fields
