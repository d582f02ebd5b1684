"""Major incident pages: the list, declaring one, and one major incident with its communication log, its
forms (services, incidents, update, resolve, review) and history.

Each page declares its permission beside it; another tenant's major incident is not found (404).
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from servicepact.contracts.models import Contract, Service
from servicepact.desk.models import Ticket
from servicepact.history.queries import history_of
from servicepact.major_incidents import actions
from servicepact.major_incidents.forms import (
    DeclareForm,
    IncidentsForm,
    ResolveForm,
    ReviewForm,
    ServicesForm,
    UpdateForm,
)
from servicepact.major_incidents.models import CommunicationUpdate, MajorIncident, MajorStatus, PostIncidentReview
from servicepact.permissions.declared import object_view, person_view
from servicepact.permissions.major_incidents import (
    can_declare_major_incident,
    can_run_major_incident,
    declares_major_incidents,
)
from servicepact.permissions.problems import reads_problems
from servicepact.refusals import ActionRefused

READ = ("GET", "HEAD")


def visible_major_incident(request: HttpRequest, major_id: int) -> MajorIncident:
    rows = MajorIncident.objects.visible_to(request.user).select_related("contract", "declared_by")
    return get_object_or_404(rows, pk=major_id)


major_view = object_view(visible_major_incident, "major_id")


def _refused(form: forms.Form, refused: ActionRefused) -> None:
    for field, errors in (refused.errors or {"__all__": [refused.message]}).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@person_view(reads_problems)
def major_list(request: HttpRequest) -> HttpResponse:
    rows = MajorIncident.objects.visible_to(request.user).select_related("contract").prefetch_related("services")
    return render(
        request,
        "major_incidents/major_list.html",
        {"majors": rows[:100], "may_declare": declares_major_incidents(request.user)},
    )


@person_view(declares_major_incidents, methods=("GET", "HEAD", "POST"))
def declare(request: HttpRequest) -> HttpResponse:
    contracts = Contract.objects.visible_to(request.user).order_by("slug")
    allowed = [contract.pk for contract in contracts if can_declare_major_incident(request.user, contract)]
    form = DeclareForm(
        request.POST or None,
        contracts=Contract.objects.visible_to(request.user).filter(pk__in=allowed).order_by("slug"),
        services=Service.objects.visible_to(request.user).filter(contract_id__in=allowed).select_related("contract"),
        tickets=Ticket.objects.visible_to(request.user),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                major = actions.declare(
                    actor=request.user,
                    contract=data["contract"],
                    title=data["title"],
                    services=data["services"],
                    started_at=data["started_at"],
                    summary=data["summary"],
                    incidents=data["incidents"],
                    update_interval_minutes=data["update_interval_minutes"],
                )
                return redirect(major)
            except ActionRefused as refused:
                _refused(form, refused)
        status = 422
    return render(request, "major_incidents/declare.html", {"form": form}, status=status)


def _page(request: HttpRequest, major: MajorIncident, forms_: dict | None = None, status: int = 200):
    may_run = can_run_major_incident(request.user, major)
    services = Service.objects.visible_to(request.user).filter(contract=major.contract)
    forms_ = forms_ or {}
    if may_run and major.status == MajorStatus.ACTIVE:
        forms_.setdefault("update", UpdateForm(prefix="update"))
        forms_.setdefault("services", ServicesForm(prefix="services", services=services))
        forms_.setdefault(
            "incidents", IncidentsForm(prefix="incidents", tickets=Ticket.objects.visible_to(request.user))
        )
        forms_.setdefault("resolve", ResolveForm(prefix="resolve"))
    review = PostIncidentReview.objects.visible_to(request.user).filter(major_incident=major).first()
    if may_run and major.status != MajorStatus.ACTIVE:
        initial = {"timeline": review.timeline, "cause": review.cause, "actions": review.actions} if review else None
        forms_.setdefault("review", ReviewForm(prefix="review", initial=initial))
    context = {
        "major": major,
        "services": services.filter(major_incidents=major),
        "incidents": Ticket.objects.visible_to(request.user).filter(major_incidents=major),
        "updates": CommunicationUpdate.objects.visible_to(request.user)
        .filter(major_incident=major)
        .select_related("author"),
        "review": review,
        "history": history_of(major, request.user),
        "may_run": may_run,
        "forms": forms_,
    }
    return render(request, "major_incidents/major_incident.html", context, status=status)


@major_view(methods=READ)
def major_detail(request: HttpRequest, major: MajorIncident) -> HttpResponse:
    return _page(request, major)


def _post(request, major, name, form, call) -> HttpResponse:
    if form.is_valid():
        try:
            call(form.cleaned_data)
            return redirect(major)
        except ActionRefused as refused:
            _refused(form, refused)
    return _page(request, major, {name: form}, status=422)


@major_view(can_run_major_incident)
def post_update(request: HttpRequest, major: MajorIncident) -> HttpResponse:
    form = UpdateForm(request.POST, prefix="update")
    return _post(
        request,
        major,
        "update",
        form,
        lambda data: actions.post_update(
            major, actor=request.user, text=data["text"], next_update_minutes=data["next_update_minutes"]
        ),
    )


@major_view(can_run_major_incident)
def add_services(request: HttpRequest, major: MajorIncident) -> HttpResponse:
    services = Service.objects.visible_to(request.user).filter(contract=major.contract)
    form = ServicesForm(request.POST, prefix="services", services=services)
    return _post(request, major, "services", form, lambda data: actions.add_services(major, actor=request.user, **data))


@major_view(can_run_major_incident)
def link_incidents(request: HttpRequest, major: MajorIncident) -> HttpResponse:
    form = IncidentsForm(request.POST, prefix="incidents", tickets=Ticket.objects.visible_to(request.user))
    return _post(
        request,
        major,
        "incidents",
        form,
        lambda data: actions.link_incidents(major, actor=request.user, tickets=data["incidents"]),
    )


@major_view(can_run_major_incident)
def resolve(request: HttpRequest, major: MajorIncident) -> HttpResponse:
    form = ResolveForm(request.POST, prefix="resolve")
    return _post(request, major, "resolve", form, lambda data: actions.resolve(major, actor=request.user, **data))


@major_view(can_run_major_incident)
def review(request: HttpRequest, major: MajorIncident) -> HttpResponse:
    form = ReviewForm(request.POST, prefix="review")
    return _post(request, major, "review", form, lambda data: actions.write_review(major, actor=request.user, **data))
