"""Stored service-level reports over the API: the list, each report as the kernel printed it, restating."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from servicepact.api_permissions import allow, holds_a_role, on_object
from servicepact.slm.models import StoredReport
from servicepact.slm.reporting.access import can_restate_report
from servicepact.slm.reporting.generation import restate_report

router = Router(tags=["reports"])


class StoredReportOut(Schema):
    id: int
    contract: str = Field(..., alias="contract.slug")
    version: int = Field(..., alias="contract_version.number")
    scope: str
    scope_key: str
    kind: str
    period: str = Field(..., alias="period_label")
    period_start: datetime
    period_end: datetime
    events_sha256: str
    generated_at: datetime
    restates: int | None = Field(None, alias="restates_id")


class RestateIn(Schema):
    reason: str


def visible_report(request: HttpRequest, key: str) -> StoredReport:
    return get_object_or_404(StoredReport.objects.visible_to(request.auth), pk=int(key) if key.isdigit() else -1)


@router.get("/reports", response=list[StoredReportOut], summary="Stored reports", operation_id="list_reports")
@allow(holds_a_role, "The provider's staff and the customer's managers, analysts and administrators see their contracts' reports.")
def list_reports(request: HttpRequest, contract: str | None = None, kind: str | None = None, scope: str | None = None):
    reports = StoredReport.objects.visible_to(request.auth).select_related("contract", "contract_version")
    for field, value in (("contract__slug", contract), ("kind", kind), ("scope", scope)):
        if value:
            reports = reports.filter(**{field: value})
    return reports.order_by("-period_start", "contract__slug", "kind", "scope", "scope_key", "-generated_at")[:500]


@router.get("/reports/{report_id}", summary="A stored report as the kernel printed it", operation_id="get_report")
@on_object("report_id", "report", visible_report, None, "Whoever sees the report.")
def get_report(request: HttpRequest, report: StoredReport) -> HttpResponse:
    # The stored text itself, so that `servicepact report verify` checks exactly what was stored.
    return HttpResponse(report.body, content_type="application/json")


@router.post("/reports/{report_id}/restate", response={201: StoredReportOut}, summary="Recompute and restate a report",
             operation_id="restate_report")
@on_object("report_id", "report", visible_report, can_restate_report, "The provider's reporting analysts and administrators.")
def restate(request: HttpRequest, report: StoredReport, payload: RestateIn):
    return 201, restate_report(report, actor=request.auth, reason=payload.reason)
