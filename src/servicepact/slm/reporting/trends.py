"""Each measure of a contract over its last stored periods, against target and baseline."""

import json
from dataclasses import dataclass

from django.utils.safestring import SafeString

from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import Contract
from servicepact.permissions import ClockSight
from servicepact.slm.models import ReportScope, StoredReport
from servicepact.slm.reporting.charts import Point, line_chart
from servicepact.slm.reporting.definitions import measure_definitions

PERIODS = 12
COMPACT = 560


@dataclass
class Trend:
    id: str
    measure: str
    points: list[Point]
    target: float | None
    target_text: str
    baseline: float | None

    @property
    def chart(self) -> SafeString:
        return line_chart(self.points, target=self.target, baseline=self.baseline, title=self.id, name=self.id)

    @property
    def compact_chart(self) -> SafeString:
        """The chart for half a page's width (two side by side)."""
        return line_chart(
            self.points, target=self.target, baseline=self.baseline, title=self.id, name=self.id, width=COMPACT
        )


def latest_reports(
    contract: Contract,
    kind: str,
    *,
    scope: str = ReportScope.CONTRACT,
    scope_key: str = "",
    until=None,
    count: int = PERIODS,
) -> list[StoredReport]:
    """The current report of each of the last ``count`` stored periods, oldest first."""
    reports = StoredReport.objects.filter(
        contract=contract,
        kind=kind,
        scope=scope,
        scope_key=scope_key,
        restated_by__isnull=True,
    ).select_related("contract_version")
    if until is not None:
        reports = reports.filter(period_start__lte=until)
    return list(reversed(reports.order_by("-period_start")[:count]))


def trends(reports: list[StoredReport], sight: ClockSight | None = None) -> list[Trend]:
    """One trend per measure of the newest report's contract version, over ``reports``; with ``sight``,
    none of the measures of internal clocks it does not show."""
    if not reports:
        return []
    definitions = measure_definitions(kernel_contract(reports[-1].contract_version))
    values: dict[str, list[Point]] = {key: [] for key in definitions}
    for report in reports:
        measured = {measure["id"]: measure["value"] for measure in json.loads(report.body)["measures"]}
        for key, points in values.items():
            value = measured.get(key)
            points.append(Point(report.period_label, None if value is None else float(value)))
    return [
        Trend(
            key,
            definition.measure,
            values[key],
            _number(definition.target.split(" ", 1)[1]),
            definition.target,
            _number(definition.baseline),
        )
        for key, definition in definitions.items()
        if sight is None or sight.shows_measure(definition.measure)
    ]


def _number(text: str) -> float | None:
    return float(text) if text else None
