"""The responsibility matrix in an organization's administration: a contract's routing rules.

The administrators of the contract's parties (customer and provider) see its rules; the provider's
administrators, whose desk routes, add, change and delete them (``can_edit_routing``).
"""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team
from servicepact.contracts.models import Category, Contract, Service, attach_terms
from servicepact.desk.actions import routing_rules as actions
from servicepact.desk.forms_routing import ContractChoiceForm, RoutingRuleForm
from servicepact.desk.models import RoutingRule
from servicepact.permissions.administration import administers_organization, can_edit_routing, can_edit_routing_rule
from servicepact.permissions.declared import object_view, person_view
from servicepact.refusals import ActionRefused


def _add_refusal(form, refusal: ActionRefused) -> None:
    for field, problems in refusal.errors.items():
        for problem in problems:
            target = {"team": "destination"}.get(field, field)
            form.add_error(target if target in form.fields else None, problem)


def party_contracts(user):
    """The contracts the administrator's organization is the customer or the provider of."""
    own = user.organization_id
    return (
        Contract.objects.visible_to(user)
        .filter(Q(customer_id=own) | Q(provider_id=own))
        .select_related("customer", "provider")
        .order_by("slug")
    )


def rule_form(
    request: HttpRequest, contract: Contract, *, rule: RoutingRule | None = None, data=None
) -> RoutingRuleForm:
    user = request.user
    parties = Q(organization_id__in=[contract.customer_id, contract.provider_id]) | Q(
        organization__contracts_as_vendor=contract
    )
    teams = Team.objects.visible_to(user).filter(parties).distinct().select_related("organization")
    return RoutingRuleForm(
        data,
        contract=contract,
        rule=rule,
        services=Service.objects.visible_to(user).filter(contract=contract).order_by("key"),
        categories=Category.objects.visible_to(user).filter(contract=contract).order_by("name"),
        teams=teams.order_by("organization__name", "name"),
    )


def find_rule(request: HttpRequest, rule_id: int) -> RoutingRule:
    rules = RoutingRule.objects.visible_to(request.user).select_related(
        "contract__customer", "contract__provider", "service", "team"
    )
    return get_object_or_404(rules, pk=rule_id)


rule_page = object_view(find_rule, "rule_id")


@person_view(administers_organization, methods=("GET", "HEAD", "POST"))
def routing(request: HttpRequest) -> HttpResponse:
    user = request.user
    contracts = party_contracts(user)
    chooser = ContractChoiceForm(request.GET or None, contracts=contracts)
    contract = chooser.cleaned_data["contract"] if chooser.is_valid() else contracts.first()
    if contract is None:
        return render(request, "desk/routing/rules.html", {"chooser": chooser, "contract": None, "section": "routing"})
    editable = can_edit_routing(user, contract)
    form = rule_form(request, contract, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Only the provider's administrators change this contract's routing."))
            return redirect(f"{reverse('organization:routing')}?contract={contract.slug}", status=303)
        if form.is_valid():
            try:
                actions.create_routing_rule(actor=user, contract=contract, **form.action_arguments())
            except ActionRefused as refusal:
                _add_refusal(form, refusal)
            else:
                messages.success(request, _("The rule is added."))
                return redirect(f"{reverse('organization:routing')}?contract={contract.slug}")
    rules = list(
        RoutingRule.objects.visible_to(user)
        .filter(contract=contract)
        .select_related("service", "team__organization")
        .order_by("precedence", "id")
    )
    attach_terms([rule.service for rule in rules if rule.service is not None])
    return render(
        request,
        "desk/routing/rules.html",
        {
            "chooser": chooser,
            "contract": contract,
            "rules": rules,
            "form": form,
            "editable": editable,
            "section": "routing",
        },
        status=422 if form.errors else 200,
    )


@rule_page(can_edit_routing_rule, methods=("GET", "HEAD", "POST"))
def routing_rule(request: HttpRequest, rule: RoutingRule) -> HttpResponse:
    form = rule_form(request, rule.contract, rule=rule, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_routing_rule(rule, actor=request.user, **form.action_arguments())
        except ActionRefused as refusal:
            _add_refusal(form, refusal)
        else:
            messages.success(request, _("The rule is saved."))
            return redirect(f"{reverse('organization:routing')}?contract={rule.contract.slug}")
    return render(
        request,
        "desk/routing/rule.html",
        {"rule": rule, "form": form, "section": "routing"},
        status=422 if form.errors else 200,
    )


@rule_page(can_edit_routing_rule)
def routing_rule_delete(request: HttpRequest, rule: RoutingRule) -> HttpResponse:
    contract = rule.contract
    try:
        actions.delete_routing_rule(rule, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("organization:routing_rule", rule.pk)
    messages.success(request, _("The rule is deleted."))
    return redirect(f"{reverse('organization:routing')}?contract={contract.slug}")
