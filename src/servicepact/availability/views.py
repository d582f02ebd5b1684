"""Outage pages: a contract's outages with the form to record one, and one outage with its history and the
form to end it.

Each page declares its permission beside it. A contract or an outage is found among those the person
sees (another tenant's is not found); both parties read outages, the provider's staff record and end them.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from servicepact.availability.actions import end_outage, record_outage
from servicepact.availability.forms import EndOutageForm, RecordOutageForm
from servicepact.availability.models import Outage
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract, Service
from servicepact.history.queries import history_of
from servicepact.permissions.availability import (
    can_change_outage,
    can_record_outage,
    reads_outages,
)
from servicepact.permissions.declared import object_view
from servicepact.refusals import ActionRefused

PAGE_SIZE = 200
READ = ("GET", "HEAD")


def visible_outage(request: HttpRequest, outage_id: int) -> Outage:
    outages = Outage.objects.visible_to(request.user).select_related("contract", "service", "recorded_by")
    return get_object_or_404(outages, pk=outage_id)


contract_view = object_view(visible_contract, "slug")
outage_view = object_view(visible_outage, "outage_id")


def _services(request: HttpRequest, contract: Contract):
    return Service.objects.visible_to(request.user).filter(contract=contract).order_by("key")


def _list_page(request: HttpRequest, contract: Contract, form: RecordOutageForm | None, status: int = 200):
    outages = (
        Outage.objects.visible_to(request.user)
        .filter(contract=contract)
        .select_related("service", "recorded_by")
        .order_by("-start", "-pk")
    )
    may_record = can_record_outage(request.user, contract)
    if form is None and may_record:
        form = RecordOutageForm(services=_services(request, contract))
    return render(
        request,
        "availability/outage_list.html",
        {"contract": contract, "outages": outages[:PAGE_SIZE], "form": form, "may_record": may_record},
        status=status,
    )


@contract_view(reads_outages, methods=READ)
def outage_list(request: HttpRequest, contract: Contract) -> HttpResponse:
    return _list_page(request, contract, None)


@contract_view(can_record_outage)
def record(request: HttpRequest, contract: Contract) -> HttpResponse:
    form = RecordOutageForm(request.POST, services=_services(request, contract))
    if not form.is_valid():
        return _list_page(request, contract, form, status=422)
    data = form.cleaned_data
    try:
        outage = record_outage(
            actor=request.user,
            contract=contract,
            service=data["service"],
            start=data["start"],
            end=data["end"],
            planned=data["planned"],
            reference=data["reference"],
            description=data["description"],
        )
    except ActionRefused as refusal:
        for field, messages in refusal.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return _list_page(request, contract, form, status=422)
    return redirect(outage.get_absolute_url())


def _outage_page(request: HttpRequest, outage: Outage, form: EndOutageForm | None, status: int = 200):
    may_change = can_change_outage(request.user, outage)
    if form is None and may_change and outage.is_open:
        form = EndOutageForm()
    return render(
        request,
        "availability/outage_detail.html",
        {
            "outage": outage,
            "contract": outage.contract,
            "form": form if outage.is_open else None,
            "may_change": may_change,
            "history": history_of(outage, request.user),
        },
        status=status,
    )


@outage_view(methods=READ)
def outage_detail(request: HttpRequest, outage: Outage) -> HttpResponse:
    return _outage_page(request, outage, None)


@outage_view(can_change_outage)
def end(request: HttpRequest, outage: Outage) -> HttpResponse:
    form = EndOutageForm(request.POST)
    if not form.is_valid():
        return _outage_page(request, outage, form, status=422)
    try:
        ended = end_outage(outage, actor=request.user, end=form.cleaned_data["end"])
    except ActionRefused as refusal:
        for message in refusal.errors.get("end", [str(refusal)]):
            form.add_error("end", message)
        return _outage_page(request, outage, form, status=422)
    return redirect(ended.get_absolute_url())
