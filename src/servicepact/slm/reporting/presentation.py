"""A stored report laid out for people: measures beside their definitions, credits, digest.

The web page, the PDF, the spreadsheet and the CSV all read this one shape, so they never disagree.
"""

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from servicepact.contracts.actions import kernel_contract
from servicepact.permissions import ClockSight
from servicepact.sla.measures import decimal_text
from servicepact.slm.models import StoredReport
from servicepact.slm.reporting.definitions import MeasureDefinition, measure_definitions


@dataclass
class MeasureRow:
    id: str
    measure: str
    value: Any
    numerator: int | None
    denominator: int | None
    target: str | None
    met: bool | None
    baseline: Any
    definition: MeasureDefinition | None

    @property
    def verdict(self) -> str:
        """``met``, ``missed`` or ``none`` (nothing to count)."""
        return "none" if self.met is None else ("met" if self.met else "missed")

    @property
    def percent(self) -> str:
        """A ratio as a percentage for people (0.8571 -> 85.71 %); other values as they are."""
        if self.value is None:
            return "–"
        if self.measure == "availability":  # six decimals in the report: four of a percentage
            return f"{float(self.value) * 100:.4f} %"
        if self.measure.endswith("_ratio") or self.measure == "vendor_time_share":
            return f"{float(self.value) * 100:.2f} %"
        return str(self.value)


@dataclass
class CreditRow:
    """One credit rule of the contract and what it came to this month."""

    measure: str
    value: Any
    below: str
    credit_percent: str
    applies: bool  # the measure's value is below the rule's threshold
    counts: bool  # the largest applicable credit of its measure: the one added to the total


@dataclass
class AvailabilityRow:
    """One availability measure of the report: its service, the seconds behind it, its verdict and credit."""

    measure: MeasureRow
    service: str
    service_name: str
    calendar: str
    agreed_s: int
    downtime_s: int
    maintenance_s: int
    credit_percent: Any  # the credit its rules add this month (None: none applies, or not a month)


@dataclass
class ReportLayout:
    report: StoredReport
    data: dict[str, Any]
    measures: list[MeasureRow]
    credits: dict[str, Any] | None
    credit_rows: list[CreditRow] = field(default_factory=list)
    availability: list[AvailabilityRow] = field(default_factory=list)

    @property
    def digest(self) -> dict[str, str]:
        return self.data.get("digest") or {}

    @property
    def excluded(self) -> list[dict[str, Any]]:
        return self.data.get("excluded", [])


def layout(report: StoredReport, sight: ClockSight | None = None) -> ReportLayout:
    """The report for people; with ``sight``, without the measures of internal clocks it does not show
    (``permissions.clocks``), nor their credit rules."""
    data = json.loads(report.body)
    terms = kernel_contract(report.contract_version)
    definitions = measure_definitions(terms)
    measures = [
        MeasureRow(
            id=measure["id"],
            measure=measure["measure"],
            value=measure["value"],
            numerator=measure["numerator"],
            denominator=measure["denominator"],
            target=measure["target"],
            met=measure["met"],
            baseline=measure["baseline"],
            definition=definitions.get(measure["id"]),
        )
        for measure in data["measures"]
    ]
    credits = data.get("credits")
    rows = []
    if credits and terms.credits is not None:
        values = {measure.id: measure.value for measure in measures}
        applying = {(rule["measure"], decimal_text(Fraction(str(rule["below"])))) for rule in credits["rules"]}
        counted = {item["measure"]: decimal_text(Fraction(str(item["percent"]))) for item in credits["applied"]}
        for rule in terms.credits.rules:
            percent = decimal_text(rule.credit * 100)
            applies = (rule.measure, decimal_text(rule.below)) in applying
            rows.append(
                CreditRow(
                    rule.measure,
                    values.get(rule.measure),
                    decimal_text(rule.below),
                    percent,
                    applies,
                    applies and counted.get(rule.measure) == percent,
                )
            )
    if sight is not None:
        hidden = {measure.id for measure in measures if not sight.shows_measure(measure.measure)}
        measures = [measure for measure in measures if measure.id not in hidden]
        rows = [row for row in rows if row.measure not in hidden]
    return ReportLayout(report, data, measures, credits, rows, _availability(data, measures, terms))


def _availability(data: dict[str, Any], measures: list[MeasureRow], terms) -> list[AvailabilityRow]:
    figures = data.get("availability") or {}
    applied = {item["measure"]: item["percent"] for item in (data.get("credits") or {}).get("applied", [])}
    rows = []
    for measure in measures:
        found = figures.get(measure.id)
        if found is None:
            continue
        service = terms.services.get(found["service"])
        rows.append(
            AvailabilityRow(
                measure=measure,
                service=found["service"],
                service_name=service.name if service else found["service"],
                calendar=found["calendar"],
                agreed_s=found["agreed_service_time_s"],
                downtime_s=found["downtime_s"],
                maintenance_s=found["maintenance_s"],
                credit_percent=applied.get(measure.id),
            )
        )
    return rows
