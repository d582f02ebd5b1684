"""The responsibility matrix's rules, written by the provider's administrators (``can_edit_routing``).

A rule names its contract's service (or any), one of its categories (or any), a precedence and one
destination: a team of one of the contract's parties, or the requester. Changing a rule routes the
tickets routed from then on; tickets already routed keep their queue. Each change is an administration
record of the provider.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from servicepact.accounts.actions import record
from servicepact.accounts.models import AdministrationAction, Team, User
from servicepact.contracts.models import Category, Contract, Service
from servicepact.desk.models import RoutingRule
from servicepact.permissions.administration import can_edit_routing
from servicepact.refusals import ActionRefused

PRECEDENCE_MAX = 1_000_000


def _refuse(message: str, field: str = "__all__") -> None:
    raise ActionRefused(message, errors={field: [message]})


def _checked(
    contract: Contract, service: Service | None, category: str, team: Team | None, to_requester: bool, precedence: int
) -> None:
    if service is not None and service.contract_id != contract.pk:
        _refuse(_("The service %(service)s is not one of this contract's.") % {"service": service.key}, "service")
    if category and not Category.objects.filter(contract=contract, key=category).exists():
        _refuse(_("The category %(category)s is not one of this contract's.") % {"category": category}, "category")
    if (team is None) == (not to_requester):
        _refuse(_("Choose exactly one destination: a team, or the requester."), "team")
    parties = {contract.customer_id, contract.provider_id, *contract.vendors.values_list("pk", flat=True)}
    if team is not None and team.organization_id not in parties:
        _refuse(_("The team %(team)s belongs to no party of this contract.") % {"team": team.name}, "team")
    if not 0 <= precedence <= PRECEDENCE_MAX:
        _refuse(_("The precedence is a whole number from 0 to %(max)s.") % {"max": PRECEDENCE_MAX}, "precedence")


def _describe(rule: RoutingRule) -> str:
    return str(rule)


def _keeps_a_default(rule: RoutingRule) -> None:
    """A contract keeps one rule with no service and no category, so that every ticket finds a queue."""
    if rule.service_id is None and not rule.category:
        others = RoutingRule.objects.filter(contract_id=rule.contract_id, service__isnull=True, category="")
        if not others.exclude(pk=rule.pk).exists():
            _refuse(
                _(
                    "This is the contract's default rule (any service, any category): change its destination "
                    "instead, or add another default first."
                )
            )


def create_routing_rule(
    *,
    actor: User,
    contract: Contract,
    service: Service | None,
    category: str,
    team: Team | None,
    to_requester: bool,
    precedence: int,
    description: str = "",
) -> RoutingRule:
    if not can_edit_routing(actor, contract):
        raise PermissionDenied("Only the provider's administrators write the contract's routing.")
    _checked(contract, service, category or "", team, to_requester, precedence)
    with transaction.atomic():
        rule = RoutingRule.objects.create(
            contract=contract,
            service=service,
            category=category or "",
            team=team,
            to_requester=to_requester,
            precedence=precedence,
            description=(description or "").strip(),
        )
        record(contract.provider, actor=actor, action=AdministrationAction.ROUTING_CREATED, subject=_describe(rule))
    return rule


def update_routing_rule(
    rule: RoutingRule,
    *,
    actor: User,
    service: Service | None,
    category: str,
    team: Team | None,
    to_requester: bool,
    precedence: int,
    description: str = "",
) -> RoutingRule:
    if not can_edit_routing(actor, rule.contract):
        raise PermissionDenied("Only the provider's administrators write the contract's routing.")
    _checked(rule.contract, service, category or "", team, to_requester, precedence)
    if service is not None or category:
        _keeps_a_default(rule)
    with transaction.atomic():
        before = _describe(rule)
        rule.service, rule.category, rule.team, rule.to_requester = service, category or "", team, to_requester
        rule.precedence, rule.description = precedence, (description or "").strip()
        rule.save()
        record(
            rule.contract.provider,
            actor=actor,
            action=AdministrationAction.ROUTING_CHANGED,
            subject=_describe(rule),
            before=before,
        )
    return rule


def delete_routing_rule(rule: RoutingRule, *, actor: User) -> None:
    if not can_edit_routing(actor, rule.contract):
        raise PermissionDenied("Only the provider's administrators write the contract's routing.")
    _keeps_a_default(rule)
    with transaction.atomic():
        record(
            rule.contract.provider, actor=actor, action=AdministrationAction.ROUTING_DELETED, subject=_describe(rule)
        )
        rule.delete()
