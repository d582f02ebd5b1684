"""Service level management over the API: stored reports (the list, each as the kernel printed it, restating
them) and a ticket's restatements (its clocks recomputed under another contract version)."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from servicepact.contracts.models import ContractVersion
from servicepact.desk.api.access import on_ticket
from servicepact.desk.models import Ticket
from servicepact.idempotency.keys import idempotent
from servicepact.permissions import can_restate, can_restate_report, can_see_restatements, clock_sight
from servicepact.permissions.declared import allow, holds_a_role, on_object
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema
from servicepact.slm.actions import REASON_MAX
from servicepact.slm.actions import restate as restate_ticket_clocks
from servicepact.slm.models import Restatement, StoredReport
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


class RestateIn(InputSchema):
    reason: str


def visible_report(request: HttpRequest, key: str) -> StoredReport:
    # ASCII digits only, and few enough for the column: '³'.isdigit() holds, but int('³') fails
    number = int(key) if key.isascii() and key.isdigit() and len(key) <= 18 else -1
    return get_object_or_404(StoredReport.objects.visible_to(request.auth), pk=number)


@router.get("/reports", response=list[StoredReportOut], summary="Stored reports", operation_id="list_reports")
@allow(
    holds_a_role,
    "The provider's staff and the customer's managers, analysts and administrators see their contracts' reports.",
)
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


@router.post(
    "/reports/{report_id}/restate",
    response={201: StoredReportOut},
    summary="Recompute and restate a report",
    operation_id="restate_report",
)
@on_object(
    "report_id", "report", visible_report, can_restate_report, "The provider's reporting analysts and administrators."
)
@idempotent
def restate(request: HttpRequest, report: StoredReport, payload: RestateIn):
    return 201, restate_report(report, actor=request.auth, reason=payload.reason)


class SpecClockOut(Schema):
    """A clock as the SLA specification prints it (section 4), at the restatement's instant."""

    ticket: str
    clock: str
    priority: str
    calendar: str
    target_s: int
    elapsed_s: int
    state: str
    breached_at: str | None
    due_at: str | None
    stopped_at: str | None


class RestatementOut(Schema):
    id: int
    ticket: str = Field(..., alias="ticket.number")
    version: int = Field(
        ..., alias="contract_version.number", description="The version the clocks were recomputed under."
    )
    original_version: int = Field(
        ..., alias="original_version.number", description="The version the ticket is pinned to."
    )
    at: datetime = Field(..., description="The instant both sets of clocks were evaluated at.")
    reason: str
    actor: str = Field(..., alias="actor.email")
    computed_at: datetime
    clocks: list[SpecClockOut] = Field(..., description="The clocks under `version`.")
    original_clocks: list[SpecClockOut] = Field(..., description="The clocks under `original_version`, unchanged.")


class TicketRestateIn(InputSchema):
    version: int = Field(..., ge=1, description="The number of another version of the ticket's contract.")
    reason: str = Field(..., max_length=REASON_MAX)


def version_of(request: HttpRequest, ticket: Ticket, number: int) -> ContractVersion:
    """The version ``number`` of the ticket's contract (restate refuses the one the ticket is pinned to)."""
    found = (
        ContractVersion.objects.visible_to(request.auth).filter(contract_id=ticket.contract_id, number=number).first()
    )
    if found is None:
        message = _("Contract %(contract)s has no version %(number)s.") % {
            "contract": ticket.contract.slug,
            "number": number,
        }
        raise ActionRefused(message, errors={"version": [message]})
    return found


RESTATEMENT_RELATIONS = ("ticket", "contract_version", "original_version", "actor")


@router.get(
    "/tickets/{number}/restatements",
    response=list[RestatementOut],
    summary="A ticket's restatements",
    operation_id="list_ticket_restatements",
    tags=["tickets"],
)
@on_ticket(
    can_see_restatements,
    "The people who may restate, and the staff who work the ticket; internal (OLA, "
    "underpinning) clocks only to those who see them.",
)
def list_ticket_restatements(request: HttpRequest, ticket: Ticket):
    """The ticket's clocks recomputed under other contract versions, newest first, each beside the original."""
    restatements = (
        Restatement.objects.visible_to(request.auth)
        .filter(ticket=ticket)
        .select_related(*RESTATEMENT_RELATIONS)
        .order_by("-computed_at", "-id")
    )
    return [shown_clocks(restatement, clock_sight(request.auth, ticket)) for restatement in restatements]


def shown_clocks(restatement: Restatement, sight) -> Restatement:
    """The restatement with only the clocks ``sight`` shows (the row itself never changes: it is not saved)."""
    restatement.clocks = [clock for clock in restatement.clocks if sight.shows(clock["clock"])]
    restatement.original_clocks = [clock for clock in restatement.original_clocks if sight.shows(clock["clock"])]
    return restatement


@router.post(
    "/tickets/{number}/restatements",
    response={201: RestatementOut},
    summary="Restate a ticket's clocks",
    operation_id="restate_ticket",
    tags=["tickets"],
)
@on_ticket(can_restate, "Either party's customer managers, reporting analysts and administrators.")
@idempotent
def restate_ticket(request: HttpRequest, ticket: Ticket, payload: TicketRestateIn):
    """Recompute the clocks now under another version; the stored clocks and earlier restatements stay."""
    version = version_of(request, ticket, payload.version)
    restatement = restate_ticket_clocks(ticket, actor=request.auth, version=version, reason=payload.reason)
    stored = Restatement.objects.visible_to(request.auth).select_related(*RESTATEMENT_RELATIONS).get(pk=restatement.pk)
    return 201, shown_clocks(stored, clock_sight(request.auth, ticket))
