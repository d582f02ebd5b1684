"""CMDB pages: the items, one item with its impact graph and history, the item and relationship forms,
the CSV import (dry run first) and export, and a ticket's items.

Each page declares its permission beside it; an item is found among those the person may see (another
tenant's is not found, 404) and kept by the administrators and team leads of the contract's customer or
provider (``can_keep_item``).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team
from servicepact.cmdb import actions, csv_io
from servicepact.cmdb.classes import ItemClass
from servicepact.cmdb.forms import ImportForm, ItemForm, LinkItemForm, RelateForm, attribute_lines
from servicepact.cmdb.graph import render_svg
from servicepact.cmdb.models import ConfigurationItem, Relationship, TicketItem
from servicepact.cmdb.queries import impact_of
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract
from servicepact.desk.views.access import ticket_view
from servicepact.history.queries import history_of
from servicepact.permissions.cmdb import (
    can_keep_item,
    can_keep_items,
    can_link_items,
    keeps_items_somewhere,
    reads_cmdb,
)
from servicepact.permissions.declared import object_view, person_view
from servicepact.refusals import ActionRefused

READ = ("GET", "HEAD")
PAGE_SIZE = 100


def visible_item(request: HttpRequest, item_id: int) -> ConfigurationItem:
    items = ConfigurationItem.objects.visible_to(request.user).select_related("contract", "owner_team", "service")
    return get_object_or_404(items, pk=item_id)


def visible_relationship(request: HttpRequest, relationship_id: int) -> Relationship:
    rows = Relationship.objects.visible_to(request.user).select_related("source__contract", "target")
    return get_object_or_404(rows, pk=relationship_id)


item_view = object_view(visible_item, "item_id")
relationship_view = object_view(visible_relationship, "relationship_id")
contract_view = object_view(visible_contract, "slug")


def kept_contracts(request: HttpRequest):
    contracts = Contract.objects.visible_to(request.user)
    allowed = [contract.pk for contract in contracts if can_keep_items(request.user, contract)]
    return Contract.objects.visible_to(request.user).filter(pk__in=allowed).order_by("slug")


def party_teams(request: HttpRequest):
    return Team.objects.visible_to(request.user).select_related("organization").order_by("organization__name", "name")


def sees_cmdb(user, contract) -> bool:
    return reads_cmdb(user)


@person_view(reads_cmdb)
def item_list(request: HttpRequest) -> HttpResponse:
    items = ConfigurationItem.objects.visible_to(request.user).select_related("contract", "owner_team")
    chosen_class = request.GET.get("class", "")
    if chosen_class in ItemClass.values:
        items = items.filter(item_class=chosen_class)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        items = items.filter(Q(key__icontains=query) | Q(name__icontains=query) | Q(location__icontains=query))
    page = Paginator(items.order_by("contract__slug", "item_class", "key"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cmdb/item_list.html",
        {
            "page": page,
            "classes": ItemClass.choices,
            "chosen_class": chosen_class,
            "query": query,
            "keeps": keeps_items_somewhere(request.user),
            "contracts": Contract.objects.visible_to(request.user).order_by("slug"),
        },
    )


def _item_fields(data: dict) -> dict:
    return {name: data[name] for name in actions.EDITABLE if name in data}


@person_view(keeps_items_somewhere, methods=("GET", "HEAD", "POST"))
def new_item(request: HttpRequest) -> HttpResponse:
    form = ItemForm(request.POST or None, contracts=kept_contracts(request), teams=party_teams(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = actions.create_item(
                    data["contract"],
                    actor=request.user,
                    key=data["key"],
                    item_class=data["item_class"],
                    **_item_fields(data),
                )
                return redirect(item)
            except ActionRefused as refused:
                _add_errors(form, refused)
        status = 422
    return render(request, "cmdb/item_form.html", {"form": form, "title": _("New configuration item")}, status=status)


def _add_errors(form, refused: ActionRefused) -> None:
    for field, found in refused.errors.items():
        form.add_error(field if field in form.fields else None, found)
    if not refused.errors:
        form.add_error(None, refused.message)


@item_view(can_keep_item, methods=("GET", "HEAD", "POST"))
def edit_item(request: HttpRequest, item: ConfigurationItem) -> HttpResponse:
    initial = {name: getattr(item, name) for name in actions.EDITABLE}
    initial["attributes"] = attribute_lines(item.attributes)
    form = ItemForm(
        request.POST or None, initial=initial, contracts=kept_contracts(request), teams=party_teams(request), item=item
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_item(item, actor=request.user, **_item_fields(form.cleaned_data))
                return redirect(item)
            except ActionRefused as refused:
                _add_errors(form, refused)
        status = 422
    title = _("Change %(item)s") % {"item": item.name}
    return render(request, "cmdb/item_form.html", {"form": form, "title": title, "item": item}, status=status)


@item_view(methods=READ)
def item_detail(request: HttpRequest, item: ConfigurationItem) -> HttpResponse:
    return render(request, "cmdb/item.html", item_context(request, item, RelateForm()))


def item_context(request: HttpRequest, item: ConfigurationItem, relate_form: RelateForm) -> dict:
    impact = impact_of([item], request.user)
    shown = impact.items + impact.upstream + impact.downstream
    relations = Relationship.objects.visible_to(request.user).select_related("source", "target")
    return {
        "item": item,
        "impact": impact,
        "graph": mark_safe(render_svg(shown, impact.depth, impact.edges, _("Impact of %(item)s") % {"item": item})),
        "outgoing": relations.filter(source=item),
        "incoming": relations.filter(target=item),
        "tickets_named": TicketItem.objects.visible_to(request.user).filter(item=item).select_related("ticket"),
        "history": history_of(item, request.user),
        "keeps": can_keep_item(request.user, item),
        "relate_form": relate_form,
    }


@item_view(can_keep_item)
def relate(request: HttpRequest, item: ConfigurationItem) -> HttpResponse:
    form = RelateForm(request.POST)
    if form.is_valid():
        target = ConfigurationItem.objects.visible_to(request.user).filter(
            contract=item.contract, key=form.cleaned_data["target"]
        )
        if not target:
            form.add_error("target", _("No item %(key)s in this contract.") % {"key": form.cleaned_data["target"]})
        else:
            try:
                actions.relate(item, target[0], form.cleaned_data["kind"], actor=request.user)
                return redirect(item)
            except ActionRefused as refused:
                _add_errors(form, refused)
    return render(request, "cmdb/item.html", item_context(request, item, form), status=422)


def keeps_relationship(user, relationship: Relationship) -> bool:
    return can_keep_items(user, relationship.source.contract)


@relationship_view(keeps_relationship)
def unrelate(request: HttpRequest, relationship: Relationship) -> HttpResponse:
    source = relationship.source
    actions.unrelate(relationship, actor=request.user)
    return redirect(source)


@person_view(keeps_items_somewhere, methods=("GET", "HEAD", "POST"))
def import_items(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, contracts=kept_contracts(request))
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = csv_io.import_csv(
                    data["contract"],
                    actor=request.user,
                    items_text=data["items_text"],
                    relationships_text=data["relationships_text"],
                    dry_run=data["dry_run"],
                )
                if not report.dry_run:
                    messages.success(
                        request,
                        _("Imported: %(created)d items created, %(updated)d changed, %(related)d relationships added.")
                        % {"created": report.created, "updated": report.updated, "related": report.related},
                    )
                    return redirect(reverse("cmdb:items"))
            except csv_io.ImportRefusedError as refused:
                report, status = refused.report, 422
        else:
            status = 422
    return render(request, "cmdb/import.html", {"form": form, "report": report}, status=status)


@contract_view(sees_cmdb, methods=READ)
def export(request: HttpRequest, contract: Contract) -> HttpResponse:
    what = request.GET.get("what", "items")
    if what == "relationships":
        rows = Relationship.objects.visible_to(request.user).filter(source__contract=contract)
        body = csv_io.export_relationships(rows.select_related("source", "target").order_by("source__key", "kind"))
    else:
        what = "items"
        items = ConfigurationItem.objects.visible_to(request.user).filter(contract=contract)
        body = csv_io.export_items(items.select_related("owner_team").order_by("key"))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contract.slug}-{what}.csv"'
    return response


@ticket_view(can_link_items)
def link_ticket_item(request: HttpRequest, ticket) -> HttpResponse:
    form = LinkItemForm(request.POST)
    if form.is_valid():
        found = ConfigurationItem.objects.visible_to(request.user).filter(
            contract_id=ticket.contract_id, key=form.cleaned_data["item"]
        )
        try:
            if not found:
                raise ActionRefused(_("No item %(key)s in this contract.") % {"key": form.cleaned_data["item"]})
            actions.link_ticket(ticket, found[0], actor=request.user)
        except ActionRefused as refused:
            messages.error(request, refused.message)
    else:
        messages.error(request, _("Give the id of a configuration item."))
    return redirect(reverse("desk:ticket", args=[ticket.number]))


@ticket_view(can_link_items)
def unlink_ticket_item(request: HttpRequest, ticket, item_id: int) -> HttpResponse:
    link = get_object_or_404(TicketItem.objects.visible_to(request.user), ticket=ticket, item_id=item_id)
    actions.unlink_ticket(link, actor=request.user)
    return redirect(reverse("desk:ticket", args=[ticket.number]))
