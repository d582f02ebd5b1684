"""Catalogue pages: the catalogue with search, an item's page and form, the approvals waiting for a
person, the decision, ticking tasks off and resolving from the ticket's page, and the keepers' view of
a contract's catalogue. Each page declares its permission beside it."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team
from servicepact.catalog import actions, queries
from servicepact.catalog.forms import DecisionForm, ItemEditForm, RequestForm, SearchForm, field_lines, task_lines
from servicepact.catalog.models import CatalogItem, RequestTask, ServiceRequest
from servicepact.contracts.actions import kernel_contract, version_in_force
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Category, Contract, Service
from servicepact.permissions.catalog import (
    can_ask,
    can_decide_request,
    can_fulfil_request,
    can_tick_task,
    keeps_catalog,
    reads_some_catalog,
)
from servicepact.permissions.declared import object_view, person_view, signed_in
from servicepact.refusals import ActionRefused

READ = ("GET", "HEAD")


def visible_item(request: HttpRequest, catalog_item_id: int) -> CatalogItem:
    items = CatalogItem.objects.visible_to(request.user).select_related("contract", "service", "team")
    return get_object_or_404(items, pk=catalog_item_id)


def visible_request(request: HttpRequest, request_number: str) -> ServiceRequest:
    requests = ServiceRequest.objects.visible_to(request.user).select_related("ticket", "item__team")
    return get_object_or_404(requests, ticket__number=request_number)


def visible_task(request: HttpRequest, request_task_id: int) -> RequestTask:
    tasks = RequestTask.objects.visible_to(request.user).select_related("request__ticket__contract")
    return get_object_or_404(tasks, pk=request_task_id)


item_view = object_view(visible_item, "catalog_item_id")
request_view = object_view(visible_request, "request_number")
task_view = object_view(visible_task, "request_task_id")
contract_view = object_view(visible_contract, "slug")


@person_view(reads_some_catalog)
def catalog(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    items = queries.offered_items(request.user)
    if query:
        items = queries.search_items(items, query)
    language = get_language()
    groups: dict[Contract, list] = {}
    for item in items[:300]:
        groups.setdefault(item.contract, []).append((item, item.name_in(language), item.description_in(language)))
    kept = [contract for contract in groups if keeps_catalog(request.user, contract)]
    context = {
        "form": form,
        "query": query,
        "groups": list(groups.items()),
        "kept": kept,
        "waiting": queries.waiting_for(request.user).count(),
    }
    return render(request, "catalog/catalog.html", context)


def _item_page(request: HttpRequest, item: CatalogItem, form: RequestForm | None = None, status: int = 200):
    language = get_language()
    fields = list(item.fields.visible_to(request.user))
    form = form or RequestForm(item, fields, language)
    context = {
        "item": item,
        "name": item.name_in(language),
        "description": item.description_in(language),
        "form": form,
        "tasks": list(item.tasks.visible_to(request.user).select_related("team")),
        "may_ask": can_ask(request.user, item),
        "approver": request.user.manager if item.needs_approval else None,
    }
    return render(request, "catalog/item.html", context, status=status)


@item_view(methods=READ)
def item_page(request: HttpRequest, item: CatalogItem) -> HttpResponse:
    return _item_page(request, item)


@item_view(can_ask, methods=("POST",))
def ask(request: HttpRequest, item: CatalogItem) -> HttpResponse:
    fields = list(item.fields.visible_to(request.user))
    form = RequestForm(item, fields, get_language(), request.POST)
    form.is_valid()
    given = {field.key: request.POST.get(field.key, "") for field in fields}
    try:
        submitted = actions.submit_request(item, actor=request.user, answers=given)
    except ActionRefused as refusal:
        for field, problems in refusal.errors.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return _item_page(request, item, form, status=422)
    number = submitted.ticket.number
    if submitted.approver_id:
        messages.success(
            request,
            _("Request %(number)s is sent; it waits for the approval of %(person)s.")
            % {"number": number, "person": str(submitted.approver)},
        )
    else:
        messages.success(request, _("Request %(number)s is sent; the service desk has it.") % {"number": number})
    return redirect(submitted.ticket.get_absolute_url())


@person_view(signed_in)
def approvals(request: HttpRequest) -> HttpResponse:
    waiting = list(queries.waiting_for(request.user))
    language = get_language()
    rows = [(found, found.item.name_in(language)) for found in waiting]
    return render(request, "catalog/approvals.html", {"rows": rows, "form": DecisionForm()})


@request_view(can_decide_request, methods=("POST",))
def decide(request: HttpRequest, found: ServiceRequest) -> HttpResponse:
    form = DecisionForm(request.POST)
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "reject") or not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect(found.ticket.get_absolute_url())
    try:
        actions.decide(found, actor=request.user, approve=decision == "approve", reason=form.cleaned_data["reason"])
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        text = _("You approved %(number)s.") if decision == "approve" else _("You rejected %(number)s.")
        messages.success(request, text % {"number": found.ticket.number})
    if request.POST.get("next") == "approvals":
        return redirect(reverse("catalog:approvals"))
    return redirect(found.ticket.get_absolute_url())


@task_view(can_tick_task, methods=("POST",))
def tick(request: HttpRequest, task: RequestTask) -> HttpResponse:
    try:
        actions.complete_task(task, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Task done: %(task)s") % {"task": task.title_in(get_language())})
    return redirect(task.request.ticket.get_absolute_url() + "#request-tasks")


@request_view(can_fulfil_request, methods=("POST",))
def resolve(request: HttpRequest, found: ServiceRequest) -> HttpResponse:
    try:
        actions.resolve_request(found, actor=request.user, resolution=request.POST.get("resolution", ""))
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Request %(number)s is resolved.") % {"number": found.ticket.number})
    return redirect(found.ticket.get_absolute_url())


@contract_view(keeps_catalog, methods=READ)
def manage(request: HttpRequest, contract: Contract) -> HttpResponse:
    items = (
        CatalogItem.objects.visible_to(request.user)
        .filter(contract=contract)
        .select_related("service", "team")
        .prefetch_related("fields", "tasks__team")
    )
    return render(
        request,
        "catalog/manage.html",
        {"contract": contract, "items": items, "may_admin": request.user.is_staff},
    )


def _edit_form(request: HttpRequest, contract: Contract, data=None, initial=None) -> ItemEditForm:
    terms = kernel_contract(version_in_force(contract, timezone.now()))
    services = Service.objects.visible_to(request.user).filter(contract=contract).order_by("key")
    categories = Category.objects.visible_to(request.user).filter(contract=contract).order_by("key")
    parties = Q(organization_id__in=(contract.customer_id, contract.provider_id)) | Q(
        organization__contracts_as_vendor=contract
    )
    teams = Team.objects.visible_to(request.user).filter(parties).distinct().order_by("name")
    return ItemEditForm(
        data,
        initial=initial,
        services=[(service.key, service.name) for service in services],
        categories=[(category.key, category.name) for category in categories],
        teams=[(team.slug, team.name) for team in teams],
        priorities=terms.priorities,
    )


def _keep(request: HttpRequest, contract: Contract, item: CatalogItem | None) -> HttpResponse:
    form = _edit_form(request, contract, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        service = Service.objects.visible_to(request.user).get(contract=contract, key=data["service"])
        team = Team.objects.visible_to(request.user).filter(slug=data["team"]).first() if data["team"] else None
        try:
            actions.keep_item(
                contract,
                actor=request.user,
                item=item,
                terms={name: data[name] for name in actions.ITEM_TERMS},
                service=service,
                team=team,
                fields=data["fields_text"],
                tasks=data["tasks_text"],
            )
        except ActionRefused as refusal:
            for field, problems in refusal.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The item is saved."))
            return redirect(reverse("catalog:manage", args=[contract.slug]))
    return render(request, "catalog/edit.html", {"contract": contract, "item": item, "form": form}, status=422)


@contract_view(keeps_catalog, methods=("GET", "HEAD", "POST"))
def new_item(request: HttpRequest, contract: Contract) -> HttpResponse:
    if request.method == "POST":
        return _keep(request, contract, None)
    form = _edit_form(request, contract, initial={"priority": "P4", "active": True})
    return render(request, "catalog/edit.html", {"contract": contract, "item": None, "form": form})


def _keeps_items_catalog(user, item: CatalogItem) -> bool:
    return keeps_catalog(user, item.contract)


@item_view(_keeps_items_catalog, methods=("GET", "HEAD", "POST"))
def edit_item(request: HttpRequest, item: CatalogItem) -> HttpResponse:
    if request.method == "POST":
        return _keep(request, item.contract, item)
    initial = {name: getattr(item, name) for name in actions.ITEM_TERMS}
    initial |= {
        "service": item.service.key,
        "team": item.team.slug if item.team_id else "",
        "fields_text": field_lines(item),
        "tasks_text": task_lines(item),
    }
    form = _edit_form(request, item.contract, initial=initial)
    return render(request, "catalog/edit.html", {"contract": item.contract, "item": item, "form": form})
