"""Continuity pages: the tier-1 services with no tested plan this year across the contracts one reads, a
contract's services with their plans and the form to write one, and one plan with its tests, history and
the form to record a test.

Each page declares its permission beside it; a contract or plan one may not see is not found.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from servicepact.continuity.actions import record_test, write_plan
from servicepact.continuity.forms import ExerciseForm, PlanForm
from servicepact.continuity.models import ContinuityPlan, PlanTest
from servicepact.continuity.queries import contract_year, coverage
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract, Service
from servicepact.history.queries import history_of
from servicepact.permissions.continuity import (
    can_manage_continuity,
    can_manage_plan,
    reads_continuity,
    reads_some_continuity,
)
from servicepact.permissions.declared import object_view, person_view
from servicepact.refusals import ActionRefused

READ = ("GET", "HEAD")


def visible_plan(request: HttpRequest, plan_id: int) -> ContinuityPlan:
    plans = ContinuityPlan.objects.visible_to(request.user).select_related("contract", "service", "written_by")
    return get_object_or_404(plans, pk=plan_id)


contract_view = object_view(visible_contract, "slug")
plan_view = object_view(visible_plan, "plan_id")


def _coverage_of(request: HttpRequest, contract: Contract):
    services = Service.objects.visible_to(request.user).filter(contract=contract)
    year = contract_year(contract)
    return year, coverage(contract, services, ContinuityPlan.objects.visible_to(request.user), year)


@person_view(reads_some_continuity)
def gaps(request: HttpRequest) -> HttpResponse:
    """Tier-1 services with no plan that passed a test this year, per contract one reads."""
    found = []
    for contract in Contract.objects.visible_to(request.user).select_related("customer", "provider").order_by("slug"):
        if not reads_continuity(request.user, contract):
            continue
        year, rows = _coverage_of(request, contract)
        found.append((contract, year, [row for row in rows if row.is_gap]))
    return render(request, "continuity/gaps.html", {"contracts": found})


def _contract_page(request: HttpRequest, contract: Contract, form: PlanForm | None, status: int = 200):
    year, rows = _coverage_of(request, contract)
    may_manage = can_manage_continuity(request.user, contract)
    if form is None and may_manage:
        form = PlanForm(services=_unplanned(request, contract))
    return render(
        request,
        "continuity/contract.html",
        {"contract": contract, "year": year, "rows": rows, "form": form, "may_manage": may_manage},
        status=status,
    )


def _unplanned(request: HttpRequest, contract: Contract):
    services = Service.objects.visible_to(request.user).filter(contract=contract, continuity_plan__isnull=True)
    return services.order_by("key")


@contract_view(reads_continuity, methods=READ)
def contract_plans(request: HttpRequest, contract: Contract) -> HttpResponse:
    return _contract_page(request, contract, None)


@contract_view(can_manage_continuity)
def new_plan(request: HttpRequest, contract: Contract) -> HttpResponse:
    form = PlanForm(request.POST, services=_unplanned(request, contract))
    if not form.is_valid():
        return _contract_page(request, contract, form, status=422)
    data = form.cleaned_data
    try:
        plan = write_plan(actor=request.user, contract=contract, **data)
    except ActionRefused as refusal:
        _add_errors(form, refusal)
        return _contract_page(request, contract, form, status=422)
    return redirect(plan.get_absolute_url())


def _plan_page(request: HttpRequest, plan: ContinuityPlan, form: ExerciseForm | None, status: int = 200):
    may_manage = can_manage_plan(request.user, plan)
    if form is None and may_manage:
        form = ExerciseForm()
    return render(
        request,
        "continuity/plan.html",
        {
            "plan": plan,
            "contract": plan.contract,
            "tests": PlanTest.objects.visible_to(request.user).filter(plan=plan).select_related("recorded_by"),
            "form": form,
            "may_manage": may_manage,
            "history": history_of(plan, request.user),
        },
        status=status,
    )


@plan_view(methods=READ)
def plan_detail(request: HttpRequest, plan: ContinuityPlan) -> HttpResponse:
    return _plan_page(request, plan, None)


@plan_view(can_manage_plan)
def new_test(request: HttpRequest, plan: ContinuityPlan) -> HttpResponse:
    form = ExerciseForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, form, status=422)
    try:
        record_test(plan, actor=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        _add_errors(form, refusal)
        return _plan_page(request, plan, form, status=422)
    return redirect(plan.get_absolute_url())


def _add_errors(form, refusal: ActionRefused) -> None:
    for field, messages in refusal.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
