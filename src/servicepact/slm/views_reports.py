"""Reporting pages: stored reports, their drill-down, trends, restating, and the backtest of a draft.

Each page declares its permission beside it: ``@report_view(predicate)`` for a page about one stored
report (found among ``StoredReport.objects.visible_to``), ``@reported_contract_view(predicate)`` for a
contract whose reports the person reads; another tenant's report or contract is not found (404).
"""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.permissions import (
    can_read_report,
    can_read_reports,
    can_restate_report,
    report_clock_sight,
)
from servicepact.permissions.declared import object_view, person_view, signed_in
from servicepact.refusals import ActionRefused
from servicepact.slm.models import ReportKind, ReportScope, StoredReport
from servicepact.slm.reporting.analysis import analyse
from servicepact.slm.reporting.drilldown import drilldown, ticket_titles
from servicepact.slm.reporting.generation import restate_report
from servicepact.slm.reporting.presentation import layout
from servicepact.slm.reporting.trends import latest_reports, trends

PAGE_SIZE = 50
# Major incidents the report page lists at a time (a month of a large contract holds thousands).
INCIDENTS_PAGE_SIZE = 50


def visible_report(request: HttpRequest, report_id: int) -> StoredReport:
    return get_object_or_404(
        StoredReport.objects.visible_to(request.user).select_related("contract", "contract_version", "generated_by"),
        pk=report_id,
    )


def readable_contract(request: HttpRequest, slug: str) -> Contract:
    """A contract whose reports the person reads; any other, even one they are a party to, is not found."""
    contract = get_object_or_404(Contract.objects.visible_to(request.user), slug=slug)
    if not can_read_reports(request.user, contract):
        raise Http404(_("No such contract."))
    return contract


report_view = object_view(visible_report, "report_id")
reported_contract_view = object_view(readable_contract, "slug")
READ = ("GET", "HEAD")


@person_view(signed_in)
def report_list(request: HttpRequest) -> HttpResponse:
    """Everyone signed in has the list; it holds only the reports they may read."""
    reports = StoredReport.objects.visible_to(request.user).filter(restated_by__isnull=True).select_related("contract")
    contracts = [
        contract for contract in Contract.objects.visible_to(request.user) if can_read_reports(request.user, contract)
    ]
    chosen = {key: request.GET.get(key, "") for key in ("contract", "kind", "scope")}
    if chosen["contract"]:
        reports = reports.filter(contract__slug=chosen["contract"])
    if chosen["kind"] in ReportKind.values:
        reports = reports.filter(kind=chosen["kind"])
    if chosen["scope"] in ReportScope.values:
        reports = reports.filter(scope=chosen["scope"])
    page = Paginator(reports.order_by("-period_start", "contract__slug", "kind", "scope", "scope_key"), PAGE_SIZE)
    return render(
        request,
        "slm/report_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "contracts": contracts,
            "chosen": chosen,
            "kinds": ReportKind.choices,
            "scopes": ReportScope.choices,
        },
    )


@report_view(can_read_report, methods=READ)
def report_detail(request: HttpRequest, report: StoredReport) -> HttpResponse:
    sight = report_clock_sight(request.user, report)
    analysis = analyse(report)
    history = latest_reports(
        report.contract, report.kind, scope=report.scope, scope_key=report.scope_key, until=report.period_start
    )
    incidents = Paginator(analysis.major_incidents, INCIDENTS_PAGE_SIZE).get_page(request.GET.get("incidents"))
    # the page names the major incidents it shows; every other ticket is listed on its measure's drill-down
    titles = ticket_titles(
        Ticket.objects.visible_to(request.user).filter(contract=report.contract),
        (incident.ticket for incident in incidents),
    )
    return render(
        request,
        "slm/report.html",
        {
            "report": report,
            "layout": layout(report, sight),
            "analysis": analysis,
            "incidents": incidents,
            "trends": trends(history, sight),
            "contributors": {by: analysis.contributors(by) for by in ("service", "team", "category")},
            "titles": titles,
            "restated_by": StoredReport.objects.visible_to(request.user).filter(restates=report).first(),
            "can_restate": can_restate_report(request.user, report),
        },
    )


@report_view(can_read_report, methods=READ)
def report_drilldown(request: HttpRequest, report: StoredReport, measure_id: str) -> HttpResponse:
    analysis = analyse(report)
    sight = report_clock_sight(request.user, report)
    if measure_id not in analysis.details or not sight.shows_measure(analysis.details[measure_id]["measure"]):
        raise Http404(_("The report has no measure %(measure)s.") % {"measure": measure_id})
    visible = Ticket.objects.visible_to(request.user).filter(contract=report.contract)
    page = drilldown(
        analysis,
        measure_id,
        shown=request.GET.get("shown", "all"),
        show_all=request.GET.get("all") == "1",
        page_number=request.GET.get("page"),
        titles_of=lambda numbers: ticket_titles(visible, numbers),
    )
    detail = page.detail
    counted, since = json.loads(report.body).get("corrections", []), analysis.corrected_since
    if counted or since:
        holds = set(detail["denominator_tickets"]).union(*detail["excluded"].values())
        counted = [entry for entry in counted if entry["ticket"] in holds]
        since = [correction for correction in since if correction.ticket in holds]
    return render(
        request,
        "slm/report_drilldown.html",
        {
            "report": report,
            "drill": page,
            "detail": detail,
            "measure_id": measure_id,
            "figures_match": analysis.figures_match,
            "corrections": counted,
            "corrected_since": since,
            "corrected_tickets": {entry["ticket"] for entry in counted} | {correction.ticket for correction in since},
        },
    )


@reported_contract_view(can_read_reports, methods=READ)
def report_trends(request: HttpRequest, contract: Contract) -> HttpResponse:
    kind = request.GET.get("kind", ReportKind.WEEKLY)
    if kind not in (ReportKind.WEEKLY, ReportKind.MONTHLY):
        kind = ReportKind.WEEKLY
    history = latest_reports(contract, kind)
    return render(
        request,
        "slm/report_trends.html",
        {
            "contract": contract,
            "kind": kind,
            "reports": history,
            "trends": trends(history, report_clock_sight(request.user, history[-1]) if history else None),
        },
    )


@report_view(can_restate_report, methods=("POST",))
def report_restate(request: HttpRequest, report: StoredReport) -> HttpResponse:
    try:
        restated = restate_report(report, actor=request.user, reason=request.POST.get("reason", ""))
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(report)
    messages.success(request, _("The report was recomputed and restated."))
    return redirect(restated)
