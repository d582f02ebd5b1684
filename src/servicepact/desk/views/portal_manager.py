"""What a customer's manager sees in the portal: their organization's open tickets and its service levels by month.

The tickets are those the access layer shows them of their own organization; the months are the stored
monthly reports of their contracts (the latest restatement of each month), with the measures the credit
rules read, the credit and its amount, and the total credited to date.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from servicepact.accounts.roles import Role
from servicepact.contracts.models import attach_terms
from servicepact.desk.models import Ticket
from servicepact.permissions import principal_of, report_clock_sight
from servicepact.slm.models import ReportKind, ReportScope, StoredReport
from servicepact.slm.reporting.charts import Point, Series, lines_chart
from servicepact.slm.reporting.presentation import layout

OPEN_SHOWN = 15
MONTHS_SHOWN = 12
# A ratio's target as the contract writes it (">= 0.95"): the threshold people compare with.
TARGET = re.compile(r"^\s*>=?\s*(0(?:\.\d+)?|1(?:\.0+)?)\s*$")


@dataclass
class MeasureFigure:
    measure: str
    value: float | None
    below: float
    met: bool


@dataclass
class Month:
    report_id: int
    contract: str
    label: str
    figures: list[MeasureFigure]
    credit_percent: Decimal
    amount: Decimal
    currency: str


@dataclass
class ManagerView:
    open_count: int
    breached_count: int
    tickets: list[Ticket]
    months: list[Month] = field(default_factory=list)
    credited: dict[str, Decimal] = field(default_factory=dict)  # per currency, to date

    @property
    def chart(self) -> SafeString | str:
        return months_chart(self.months)


def manages_customer(user) -> bool:
    who = principal_of(user)
    return who.is_customer and who.has(Role.CUSTOMER_MANAGER)


def manager_view(user) -> ManagerView:
    own = Ticket.objects.visible_to(user).filter(customer_id=user.organization_id)
    counts = own.open().aggregate(open=Count("pk"), breached=Count("pk", filter=Q(breached=True)))
    tickets = list(own.open().select_related("service", "team").by_due()[:OPEN_SHOWN])
    attach_terms(ticket.service for ticket in tickets)
    view = ManagerView(counts["open"], counts["breached"], tickets)
    view.months = _months(user)
    for month in view.months:
        view.credited[month.currency] = view.credited.get(month.currency, Decimal(0)) + month.amount
    return view


def months_chart(months: list[Month]) -> SafeString | str:
    """Each measure's value month by month (oldest first), one line each, for the months of one contract."""
    if not months:
        return ""
    shown = [month for month in reversed(months) if month.contract == months[0].contract]
    measures = list(dict.fromkeys(figure.measure for month in shown for figure in month.figures))
    series = []
    for measure in measures:
        values = [{figure.measure: figure.value for figure in month.figures}.get(measure) for month in shown]
        series.append(Series(measure, [Point(month.label, value) for month, value in zip(shown, values)]))
    return lines_chart(series, title=_("Service levels by month"), width=560)


def _months(user) -> list[Month]:
    reports = (
        StoredReport.objects.visible_to(user)
        .filter(kind=ReportKind.MONTHLY, scope=ReportScope.CONTRACT, contract__customer_id=user.organization_id)
        .select_related("contract", "contract_version")
        .order_by("-period_start", "-generated_at")
    )
    latest: dict[tuple[int, str], StoredReport] = {}
    for report in reports[: MONTHS_SHOWN * 8]:
        latest.setdefault((report.contract_id, report.period_label), report)
    return [_month(report, report_clock_sight(user, report)) for report in list(latest.values())[:MONTHS_SHOWN]]


def _month(report: StoredReport, sight) -> Month:
    """The month's measures with a target, as the report's page shows them to this person, and its credit."""
    laid_out = layout(report, sight)
    figures = []
    for measure in laid_out.measures:
        threshold = TARGET.match(measure.target or "")
        if threshold is None or not isinstance(measure.value, int | float):
            continue
        figures.append(MeasureFigure(measure.id, measure.value, float(threshold.group(1)), bool(measure.met)))
    credits = laid_out.credits or {}
    return Month(
        report_id=report.pk,
        contract=report.contract.slug,
        label=report.period_label,
        figures=figures,
        credit_percent=Decimal(str(credits.get("total_percent", 0))),
        amount=Decimal(str(credits.get("amount", "0"))),
        currency=credits.get("currency", ""),
    )
