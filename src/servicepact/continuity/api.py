"""Service continuity in the API: a contract's services with their plans, the tier-1 gaps, one plan with
its tests and history, writing a plan and recording a test.

Both parties of a contract read its plans; the provider's team leads and administrators write them and
record their tests. A contract or plan one may not see is not found (404).
"""

from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from servicepact.continuity import actions
from servicepact.continuity.models import ContinuityPlan, PlanTest
from servicepact.continuity.queries import contract_year, coverage
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract, Service
from servicepact.history.queries import history_of
from servicepact.history.schemas import HistoryEntryOut
from servicepact.idempotency.keys import idempotent
from servicepact.permissions.continuity import can_manage_continuity, can_manage_plan, reads_continuity
from servicepact.permissions.declared import on_object
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema

router = Router(tags=["continuity"])


class ExerciseOut(Schema):
    tested_on: date
    result: str
    recovery_minutes: int | None
    data_loss_minutes: int | None
    notes: str
    recorded_by: str = Field(..., alias="recorded_by.email")
    recorded_at: datetime


class PlanOut(Schema):
    id: int
    contract: str = Field(..., alias="contract.slug")
    service: str = Field(..., alias="service.key")
    title: str
    summary: str
    rto_minutes: int = Field(..., description="The plan's own, else the service tier's.")
    rpo_minutes: int = Field(..., description="The plan's own, else the service tier's.")
    written_by: str = Field(..., alias="written_by.email")
    written_at: datetime

    @staticmethod
    def resolve_rto_minutes(plan) -> int:
        return plan.objectives.rto_minutes

    @staticmethod
    def resolve_rpo_minutes(plan) -> int:
        return plan.objectives.rpo_minutes


class PlanDetailOut(PlanOut):
    tests: list[ExerciseOut] = Field(..., alias="tests_seen")
    history: list[HistoryEntryOut]


class CoverageOut(Schema):
    service: str
    tier: int | None
    plan: int | None
    rto_minutes: int
    rpo_minutes: int
    last_tested_on: date | None
    passed_this_year_on: date | None
    gap: bool = Field(..., description="A tier-1 service without a plan that passed a test this year.")


class ContractCoverageOut(Schema):
    contract: str
    year: int
    services: list[CoverageOut]


class PlanIn(InputSchema):
    service: str = Field(..., description="The service's id in the contract.")
    title: str
    summary: str = ""
    rto_minutes: int | None = Field(None, description="Leave out for the service tier's.")
    rpo_minutes: int | None = Field(None, description="Leave out for the service tier's.")


class ExerciseIn(InputSchema):
    tested_on: date
    result: str = Field(..., description="passed, partial or failed")
    recovery_minutes: int | None = None
    data_loss_minutes: int | None = None
    notes: str = ""


def visible_plan(request: HttpRequest, plan_id: str) -> ContinuityPlan:
    if not str(plan_id).isascii() or not str(plan_id).isdigit() or len(str(plan_id)) > 18:
        raise Http404("No such plan.")
    rows = ContinuityPlan.objects.visible_to(request.auth).select_related("contract", "service", "written_by")
    return get_object_or_404(rows, pk=int(plan_id))


def _detail(request: HttpRequest, plan: ContinuityPlan) -> ContinuityPlan:
    plan.history = list(history_of(plan, request.auth))
    plan.tests_seen = list(PlanTest.objects.visible_to(request.auth).filter(plan=plan).select_related("recorded_by"))
    return plan


@router.get(
    "/contracts/{slug}/continuity",
    response=ContractCoverageOut,
    summary="A contract's services with their continuity plans and this year's tests",
    operation_id="get_continuity_coverage",
)
@on_object("slug", "contract", visible_contract, reads_continuity, "Both parties of the contract (reads_continuity).")
def get_continuity_coverage(request: HttpRequest, contract: Contract):
    year = contract_year(contract)
    services = Service.objects.visible_to(request.auth).filter(contract=contract)
    rows = coverage(contract, services, ContinuityPlan.objects.visible_to(request.auth), year)
    return {
        "contract": contract.slug,
        "year": year,
        "services": [
            {
                "service": row.service.key,
                "tier": row.tier,
                "plan": row.plan.pk if row.plan else None,
                "rto_minutes": row.objectives.rto_minutes,
                "rpo_minutes": row.objectives.rpo_minutes,
                "last_tested_on": row.last_test.tested_on if row.last_test else None,
                "passed_this_year_on": row.passed_this_year.tested_on if row.passed_this_year else None,
                "gap": row.is_gap,
            }
            for row in rows
        ],
    }


@router.post(
    "/contracts/{slug}/continuity/plans",
    response={201: PlanDetailOut},
    summary="Write a service's continuity plan",
    operation_id="write_continuity_plan",
)
@on_object("slug", "contract", visible_contract, can_manage_continuity, "The provider's team leads and administrators.")
@idempotent
def write_continuity_plan(request: HttpRequest, contract: Contract, body: PlanIn):
    service = Service.objects.visible_to(request.auth).filter(contract=contract, key=body.service).first()
    if service is None:
        message = f"No service {body.service!r} in contract {contract.slug}."
        raise ActionRefused(message, errors={"service": [message]})
    plan = actions.write_plan(
        actor=request.auth,
        contract=contract,
        service=service,
        title=body.title,
        summary=body.summary,
        rto_minutes=body.rto_minutes,
        rpo_minutes=body.rpo_minutes,
    )
    return 201, _detail(request, plan)


@router.get(
    "/continuity/plans/{plan_id}",
    response=PlanDetailOut,
    summary="A continuity plan with its tests and history",
    operation_id="get_continuity_plan",
)
@on_object("plan_id", "plan", visible_plan, None, "Both parties of the plan's contract.")
def get_continuity_plan(request: HttpRequest, plan: ContinuityPlan):
    return _detail(request, plan)


@router.post(
    "/continuity/plans/{plan_id}/tests",
    response={201: PlanDetailOut},
    summary="Record a test of a continuity plan",
    operation_id="record_continuity_test",
)
@on_object("plan_id", "plan", visible_plan, can_manage_plan, "The provider's team leads and administrators.")
@idempotent
def record_continuity_test(request: HttpRequest, plan: ContinuityPlan, body: ExerciseIn):
    actions.record_test(
        plan,
        actor=request.auth,
        tested_on=body.tested_on,
        result=body.result,
        recovery_minutes=body.recovery_minutes,
        data_loss_minutes=body.data_loss_minutes,
        notes=body.notes,
    )
    return 201, _detail(request, plan)
