"""The invoice of a month: hours per role at the contract's rates, the fixed fee, and the month's service
credits as a negative line, taken from the month's report and named by its digest (docs/billing.md).

Money is ``Decimal``: each role's amount is its hours times its rate rounded half-up to cents; the fee and
the credits are the contract's and the report's amounts as written; the total is their exact sum.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from servicepact.sla.contract_model import BillingDef, Contract
from servicepact.sla.periods import MONTH_LABEL

TIMESHEET_COLUMNS = ("person", "role", "date", "hours", "reference")
CENT = Decimal("0.01")
MAX_HOURS_A_DAY = Decimal(24)
MAX_TIMESHEET_ROWS = 1_000_000
_HOURS = re.compile(r"[0-9]{1,2}(\.[0-9]{1,2})?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AMOUNT = re.compile(r"-?[0-9]{1,15}\.[0-9]{2}")


class InvoiceError(ValueError):
    """Input an invoice cannot be made from; ``messages`` holds every problem, each naming its line or field."""

    def __init__(self, messages: Sequence[str]):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True, slots=True)
class TimeRow:
    line: int
    person: str
    role: str
    day: date
    hours: Decimal
    reference: str


def parse_timesheet(text: str, source: str, billing: BillingDef, month: str) -> list[TimeRow]:
    """The rows of a timesheet CSV (``person,role,date,hours,reference``); raises InvoiceError naming the
    line of every bad row: an unknown role, a date outside ``month``, hours that are not a positive number of
    hours with at most two decimals, or more than 24 hours of one person on one day."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    problems: list[str] = []
    header = next(reader, None)
    if header is None or tuple(cell.strip() for cell in header) != TIMESHEET_COLUMNS:
        shown = ",".join(header or []) or "nothing"
        raise InvoiceError([f"{source}:1: expected the columns {','.join(TIMESHEET_COLUMNS)}, got {shown[:120]}"])
    rows: list[TimeRow] = []
    per_day: dict[tuple[str, date], Decimal] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_TIMESHEET_ROWS:
                problems.append(f"{source}:{line}: a timesheet has at most {MAX_TIMESHEET_ROWS} rows")
                break
            row = _row(cells, line, billing, month, problems, source)
            if row is None:
                continue
            total = per_day[(row.person, row.day)] = per_day.get((row.person, row.day), Decimal(0)) + row.hours
            if total > MAX_HOURS_A_DAY:
                problems.append(f"{source}:{line}: {row.person} has {total} hours on {row.day}; a day has 24")
                continue
            rows.append(row)
    except csv.Error as error:
        problems.append(f"{source}:{reader.line_num}: not CSV: {error}")
    if problems:
        raise InvoiceError(problems)
    return rows


def _row(cells: list[str], line: int, billing: BillingDef, month: str, problems: list[str], source: str):
    where = f"{source}:{line}"
    if len(cells) != len(TIMESHEET_COLUMNS):
        problems.append(f"{where}: expected {len(TIMESHEET_COLUMNS)} columns, got {len(cells)}")
        return None
    person, role, day_text, hours_text, reference = (cell.strip() for cell in cells)
    found = []
    if not person:
        found.append("person is empty")
    if role not in billing.rates:
        found.append(f"role {role[:40]!r} has no rate in the contract (roles: {', '.join(sorted(billing.rates))})")
    day = None
    if not _DATE.fullmatch(day_text):
        found.append(f"date {day_text[:40]!r} is not a date like {month}-01")
    else:
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            found.append(f"date {day_text!r} does not exist")
        else:
            if day_text[:7] != month:
                found.append(f"date {day_text} is outside the invoiced month {month}")
    hours = None
    if not _HOURS.fullmatch(hours_text):
        found.append(f"hours {hours_text[:40]!r} is not a number of hours like 7.5 (at most two decimals)")
    else:
        hours = Decimal(hours_text)
        if not 0 < hours <= MAX_HOURS_A_DAY:
            found.append(f"hours {hours_text} must be above 0 and at most 24")
    if len(person) > 200 or len(reference) > 200:
        found.append("person and reference have at most 200 characters")
    if found:
        problems.extend(f"{where}: {message}" for message in found)
        return None
    return TimeRow(line, person, role, day, hours, reference)


def credits_of(report: Mapping[str, Any], contract: Contract, billing: BillingDef, source: str) -> Decimal:
    """The credit amount of the month's report, after checking it is a report of this contract and month
    whose credits add up (the amount is the capped total percent of the monthly fee)."""
    if report.get("contract") != contract.id:
        raise InvoiceError([f"{source}: a report of contract {report.get('contract')!r}, not {contract.id!r}"])
    period = report.get("period")
    if not isinstance(period, str) or not MONTH_LABEL.fullmatch(period):
        raise InvoiceError([f"{source}: the report's period {period!r} is not a month; credits are monthly"])
    if not isinstance(report.get("digest"), dict):
        raise InvoiceError([f"{source}: the report has no digest to name"])
    credits = report.get("credits")
    if credits is None:
        return Decimal(0)
    if not isinstance(credits, dict):
        raise InvoiceError([f"{source}: 'credits' must be an object or null"])
    if credits.get("currency") != billing.currency:
        raise InvoiceError(
            [f"{source}: the credits are in {credits.get('currency')!r}, the invoice in {billing.currency}"]
        )
    amount, fee = _amount(credits, "amount", source), _amount(credits, "monthly_fee", source)
    total, before, cap = (
        _percent(credits, key, source) for key in ("total_percent", "total_before_cap_percent", "cap_percent")
    )
    if total != min(before, cap) or amount != (fee * total / 100).quantize(CENT, ROUND_HALF_UP):
        raise InvoiceError(
            [
                f"{source}: the credits do not add up: {total}% should be the lesser of {before}% and the cap "
                f"{cap}%, and {amount} that share of the fee {fee}"
            ]
        )
    return amount


def _amount(credits: Mapping[str, Any], key: str, source: str) -> Decimal:
    value = credits.get(key)
    if not isinstance(value, str) or not _AMOUNT.fullmatch(value):
        raise InvoiceError([f"{source}: credits.{key} {value!r} is not an amount with two decimals"])
    return Decimal(value)


def _percent(credits: Mapping[str, Any], key: str, source: str) -> Decimal:
    value = credits.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvoiceError([f"{source}: credits.{key} {value!r} is not a number"])
    try:
        return Decimal(repr(value))
    except InvalidOperation:
        raise InvoiceError([f"{source}: credits.{key} {value!r} is not a number"]) from None


def build_invoice(
    contract: Contract,
    rows: Sequence[TimeRow],
    report: Mapping[str, Any],
    *,
    report_sha256: str,
    credits: Decimal,
    timesheet_sha256: str | None = None,
) -> dict[str, Any]:
    """The invoice object (docs/billing.md): lines per role, the fee, the credits, the total."""
    billing = contract.billing
    if billing is None:
        raise InvoiceError([f"version {contract.version} of contract {contract.id!r} has no billing section"])
    hours: dict[str, Decimal] = {}
    for row in rows:
        hours[row.role] = hours.get(row.role, Decimal(0)) + row.hours
    lines: list[dict[str, Any]] = []
    for role in sorted(hours):
        billable = role in billing.billable
        rate = billing.rates[role]
        amount = (hours[role] * rate).quantize(CENT, ROUND_HALF_UP) if billable else Decimal(0)
        lines.append(
            {
                "kind": "hours",
                "role": role,
                "hours": _text(hours[role]),
                "rate": _money(rate),
                "billable": billable,
                "amount": _money(amount),
            }
        )
    lines.append({"kind": "fee", "amount": _money(billing.monthly_fee)})
    lines.append({"kind": "credits", "amount": _money(-credits)})
    total = sum((Decimal(line["amount"]) for line in lines), Decimal(0))
    return {
        "contract": contract.id,
        "version": contract.version,
        "month": report["period"],
        "currency": billing.currency,
        "lines": lines,
        "hours": _text(sum(hours.values(), Decimal(0))),
        "subtotal": _money(total + credits),
        "credits": _money(-credits),
        "total": _money(total),
        "credits_from": {"period": report["period"], "report_sha256": report_sha256, "digest": report["digest"]},
        "timesheet_sha256": timesheet_sha256,
    }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _money(amount: Decimal) -> str:
    return str(amount.quantize(CENT, ROUND_HALF_UP))


def _text(hours: Decimal) -> str:
    return str(hours.quantize(CENT))
