"""Problem pages: the problems, one problem with its forms, known errors, the suggestions of recurring
incidents, a contract's recurrence settings, and linking a known error from a ticket's page.

Each page declares its permission beside it; a record of another tenant is not found (404).
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicepact.changes.models import Change
from servicepact.cmdb.models import ConfigurationItem
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract, Service
from servicepact.desk.models import Ticket
from servicepact.desk.views.access import ticket_view
from servicepact.history.queries import history_of
from servicepact.permissions import can_work_ticket
from servicepact.permissions.declared import object_view, person_view
from servicepact.permissions.problems import (
    can_read_problems,
    can_set_recurrence,
    can_work_problem,
    can_work_problems,
    can_work_suggestion,
    reads_problems,
    works_problems,
)
from servicepact.problems import actions
from servicepact.problems.forms import (
    ClosureForm,
    DiagnoseForm,
    DismissForm,
    FixForm,
    IncidentsForm,
    ItemsForm,
    KnownErrorForm,
    ProblemForm,
    RaiseSuggestionForm,
    RecurrenceForm,
)
from servicepact.problems.models import (
    KnownError,
    Problem,
    ProblemIncident,
    ProblemStatus,
    ProblemSuggestion,
    RecurrenceSettings,
    SuggestionStatus,
)
from servicepact.refusals import ActionRefused

READ = ("GET", "HEAD")
PAGE_SIZE = 100


def visible_problem(request: HttpRequest, problem_id: int) -> Problem:
    problems = Problem.objects.visible_to(request.user).select_related("contract", "service", "opened_by")
    return get_object_or_404(problems, pk=problem_id)


def visible_known_error(request: HttpRequest, known_error_id: int) -> KnownError:
    rows = KnownError.objects.visible_to(request.user).select_related("problem", "problem__contract")
    return get_object_or_404(rows, pk=known_error_id)


def visible_suggestion(request: HttpRequest, suggestion_id: int) -> ProblemSuggestion:
    rows = ProblemSuggestion.objects.visible_to(request.user).select_related("contract", "service")
    return get_object_or_404(rows, pk=suggestion_id)


problem_view = object_view(visible_problem, "problem_id")
known_error_view = object_view(visible_known_error, "known_error_id")
suggestion_view = object_view(visible_suggestion, "suggestion_id")
contract_view = object_view(visible_contract, "slug")


def _refused(form: forms.Form, refused: ActionRefused) -> None:
    for field, errors in (refused.errors or {"__all__": [refused.message]}).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


# -- lists ---------------------------------------------------------------------------------------------------


@person_view(reads_problems)
def problem_list(request: HttpRequest) -> HttpResponse:
    problems = Problem.objects.visible_to(request.user).select_related("contract", "service")
    status = request.GET.get("status", "")
    if status in ProblemStatus.values:
        problems = problems.filter(status=status)
    return render(
        request,
        "problems/problem_list.html",
        {
            "problems": problems[:PAGE_SIZE],
            "statuses": ProblemStatus.choices,
            "status": status,
            "may_raise": works_problems(request.user),
            "open_suggestions": ProblemSuggestion.objects.visible_to(request.user)
            .filter(status=SuggestionStatus.OPEN)
            .count(),
        },
    )


@person_view(reads_problems)
def known_error_list(request: HttpRequest) -> HttpResponse:
    rows = KnownError.objects.visible_to(request.user).select_related(
        "problem", "problem__service", "problem__contract"
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        rows = rows.filter(title__icontains=query) | rows.filter(keywords__icontains=query)
    return render(request, "problems/known_error_list.html", {"known_errors": rows[:PAGE_SIZE], "q": query})


@person_view(reads_problems)
def suggestion_list(request: HttpRequest) -> HttpResponse:
    rows = (
        ProblemSuggestion.objects.visible_to(request.user)
        .filter(status=SuggestionStatus.OPEN)
        .select_related("contract", "service")
        .prefetch_related("tickets")
    )
    suggestions = [(row, can_work_suggestion(request.user, row)) for row in rows[:PAGE_SIZE]]
    contracts = Contract.objects.visible_to(request.user).order_by("slug")
    return render(
        request,
        "problems/suggestion_list.html",
        {
            "suggestions": suggestions,
            "contracts": [
                (contract, *actions.settings_of(contract), can_set_recurrence(request.user, contract))
                for contract in contracts
                if can_read_problems(request.user, contract)
            ],
        },
    )


# -- raising -------------------------------------------------------------------------------------------------


def _problem_form(request: HttpRequest, data=None, initial=None) -> ProblemForm:
    contracts = Contract.objects.visible_to(request.user).order_by("slug")
    workable = [contract.pk for contract in contracts if can_work_problems(request.user, contract)]
    return ProblemForm(
        data,
        initial=initial,
        contracts=Contract.objects.visible_to(request.user).filter(pk__in=workable).order_by("slug"),
        services=Service.objects.visible_to(request.user).filter(contract_id__in=workable).select_related("contract"),
        tickets=Ticket.objects.visible_to(request.user),
    )


@person_view(works_problems, methods=("GET", "HEAD", "POST"))
def new_problem(request: HttpRequest) -> HttpResponse:
    initial = {"incidents": request.GET.get("incidents", "")[:500]}
    form = _problem_form(request, request.POST or None, initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                problem = actions.raise_problem(
                    actor=request.user,
                    contract=data["contract"],
                    title=data["title"],
                    service=data["service"],
                    category=data["category"],
                    description=data["description"],
                    incidents=data["incidents"],
                )
                return redirect(problem)
            except ActionRefused as refused:
                _refused(form, refused)
        status = 422
    return render(request, "problems/problem_new.html", {"form": form}, status=status)


# -- one problem ---------------------------------------------------------------------------------------------


def _problem_page(request: HttpRequest, problem: Problem, forms_: dict | None = None, status: int = 200):
    may_work = can_work_problem(request.user, problem) and problem.status != ProblemStatus.CLOSED
    known = KnownError.objects.visible_to(request.user).filter(problem=problem).first()
    tickets = Ticket.objects.visible_to(request.user)
    forms_ = forms_ or {}
    if may_work:
        forms_.setdefault(
            "diagnose",
            DiagnoseForm(
                initial={"cause": problem.cause, "root_cause": problem.root_cause, "workaround": problem.workaround},
                prefix="diagnose",
            ),
        )
        forms_.setdefault(
            "known_error",
            KnownErrorForm(
                initial={
                    "title": known.title if known else problem.title,
                    "symptoms": known.symptoms if known else problem.description,
                    "workaround": known.workaround if known else "",
                    "keywords": known.keywords if known else "",
                },
                prefix="known",
            ),
        )
        forms_.setdefault("incidents", IncidentsForm(prefix="incidents", tickets=tickets))
        forms_.setdefault("items", ItemsForm(prefix="items"))
        forms_.setdefault("fix", FixForm(prefix="fix", changes=Change.objects.visible_to(request.user)))
        forms_.setdefault("close", ClosureForm(prefix="close"))
    links = (
        ProblemIncident.objects.visible_to(request.user)
        .filter(problem=problem)
        .select_related("ticket", "ticket__service")
    )
    context = {
        "problem": problem,
        "known_error": known,
        "links": links,
        "items": ConfigurationItem.objects.visible_to(request.user).filter(problems=problem),
        "fixing_change": Change.objects.visible_to(request.user).filter(problems_fixed=problem).first(),
        "history": history_of(problem, request.user),
        "may_work": may_work,
        "forms": forms_,
    }
    return render(request, "problems/problem.html", context, status=status)


@problem_view(methods=READ)
def problem_detail(request: HttpRequest, problem: Problem) -> HttpResponse:
    return _problem_page(request, problem)


def _post(request, problem, name, form_class, prefix, call, **form_kwargs) -> HttpResponse:
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    if form.is_valid():
        try:
            call(form.cleaned_data)
            return redirect(problem)
        except ActionRefused as refused:
            _refused(form, refused)
    return _problem_page(request, problem, {name: form}, status=422)


@problem_view(can_work_problem)
def problem_diagnose(request: HttpRequest, problem: Problem) -> HttpResponse:
    return _post(
        request,
        problem,
        "diagnose",
        DiagnoseForm,
        "diagnose",
        lambda data: actions.diagnose(problem, actor=request.user, **data),
    )


@problem_view(can_work_problem)
def problem_known_error(request: HttpRequest, problem: Problem) -> HttpResponse:
    return _post(
        request,
        problem,
        "known_error",
        KnownErrorForm,
        "known",
        lambda data: actions.publish_known_error(problem, actor=request.user, **data),
    )


@problem_view(can_work_problem)
def problem_incidents(request: HttpRequest, problem: Problem) -> HttpResponse:
    return _post(
        request,
        problem,
        "incidents",
        IncidentsForm,
        "incidents",
        lambda data: actions.link_incidents(problem, actor=request.user, tickets=data["incidents"]),
        tickets=Ticket.objects.visible_to(request.user),
    )


@problem_view(can_work_problem)
def problem_items(request: HttpRequest, problem: Problem) -> HttpResponse:
    return _post(
        request,
        problem,
        "items",
        ItemsForm,
        "items",
        lambda data: actions.link_configuration_items(problem, actor=request.user, keys=data["items"]),
    )


@problem_view(can_work_problem)
def problem_fix(request: HttpRequest, problem: Problem) -> HttpResponse:
    return _post(
        request,
        problem,
        "fix",
        FixForm,
        "fix",
        lambda data: actions.link_fixing_change(problem, actor=request.user, change=data["change"]),
        changes=Change.objects.visible_to(request.user),
    )


@problem_view(can_work_problem)
def problem_close(request: HttpRequest, problem: Problem) -> HttpResponse:
    return _post(
        request,
        problem,
        "close",
        ClosureForm,
        "close",
        lambda data: actions.close_problem(problem, actor=request.user, closure=data["closure"]),
    )


# -- known errors --------------------------------------------------------------------------------------------


@known_error_view(methods=READ)
def known_error_detail(request: HttpRequest, known_error: KnownError) -> HttpResponse:
    tickets = Ticket.objects.visible_to(request.user).filter(known_error_links__known_error=known_error)
    return render(
        request,
        "problems/known_error.html",
        {"known_error": known_error, "tickets": tickets, "history": history_of(known_error, request.user)},
    )


@ticket_view(can_work_ticket)
def ticket_known_error(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    """Link a matching known error to the ticket (from the ticket's page)."""
    raw = request.POST.get("known_error", "")
    known = None
    if raw.isascii() and raw.isdigit() and len(raw) < 18:
        known = KnownError.objects.visible_to(request.user).filter(pk=int(raw)).select_related("problem").first()
    if known is None:
        messages.error(request, _("Choose one of the known errors shown."))
        return redirect("desk:ticket", ticket.number)
    try:
        if actions.link_known_error(ticket, actor=request.user, known_error=known):
            messages.success(request, _("Linked to %(number)s.") % {"number": known.number})
    except ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("desk:ticket", ticket.number)


# -- suggestions and settings --------------------------------------------------------------------------------


@suggestion_view(can_work_suggestion)
def suggestion_raise(request: HttpRequest, suggestion: ProblemSuggestion) -> HttpResponse:
    form = RaiseSuggestionForm(request.POST)
    if form.is_valid():
        try:
            problem = actions.raise_from_suggestion(suggestion, actor=request.user, title=form.cleaned_data["title"])
            return redirect(problem)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            return redirect("problems:suggestions")
    messages.error(request, _("A problem needs a title."))
    return redirect("problems:suggestions")


@suggestion_view(can_work_suggestion)
def suggestion_dismiss(request: HttpRequest, suggestion: ProblemSuggestion) -> HttpResponse:
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            actions.dismiss_suggestion(suggestion, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Dismissed."))
        except ActionRefused as refused:
            messages.error(request, refused.message)
    else:
        messages.error(request, _("Say why the incidents are no problem."))
    return redirect("problems:suggestions")


@contract_view(can_set_recurrence, methods=("GET", "HEAD", "POST"))
def recurrence(request: HttpRequest, contract: Contract) -> HttpResponse:
    current = RecurrenceSettings.objects.visible_to(request.user).filter(contract=contract).first()
    threshold, window_days = actions.settings_of(contract)
    form = RecurrenceForm(request.POST or None, initial={"threshold": threshold, "window_days": window_days})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.set_recurrence(
                    actor=request.user,
                    contract=contract,
                    threshold=form.cleaned_data["threshold"],
                    window_days=form.cleaned_data["window_days"],
                )
                actions.refresh_suggestions(contract=contract)
                messages.success(request, _("Saved; the suggestions were checked again."))
                return redirect("problems:suggestions")
            except ActionRefused as refused:
                _refused(form, refused)
        status = 422
    history = history_of(current, request.user) if current else []
    return render(
        request,
        "problems/recurrence.html",
        {"contract": contract, "form": form, "history": history},
        status=status,
    )
