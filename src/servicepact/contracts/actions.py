"""Writes to contracts: registering a version's text, signing it; and which version is in force."""

import functools
import hashlib
from datetime import datetime, timezone as dt_timezone

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Role, User
from servicepact.contracts.models import Contract, ContractVersion, Service, VersionStatus
from servicepact.permissions import principal_of
from servicepact.refusals import ActionRefused
from servicepact.sla.contract import load_contract
from servicepact.sla.contract_errors import ContractError
from servicepact.sla.contract_model import Contract as KernelContract

CUSTOMER, PROVIDER = "customer", "provider"


@functools.lru_cache(maxsize=64)
def _load_text(source: str, filename: str) -> KernelContract:
    return load_contract(source, filename)


def kernel_contract(version: ContractVersion) -> KernelContract:
    """The SLA kernel's loaded form of a version's text, loaded once per text (signed texts never change)."""
    return _load_text(version.source, f"contract-version-{version.number}.yaml")


def version_in_force(contract: Contract, at: datetime) -> ContractVersion:
    """The signed version whose effective dates hold ``at`` (its UTC date); the highest number wins."""
    day = at.astimezone(dt_timezone.utc).date()
    version = (
        ContractVersion.objects.filter(contract=contract, status=VersionStatus.SIGNED, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-number")
        .first()
    )
    if version is None:
        raise ActionRefused(
            _("Contract %(contract)s has no signed version in force on %(day)s.")
            % {"contract": contract.slug, "day": day.isoformat()},
            errors={"contract": [_("No signed version in force on %(day)s.") % {"day": day.isoformat()}]},
            status=409,
        )
    return version


def can_register_version(user: User, contract: Contract) -> bool:
    """Either party's administrators, and the customer's managers, may put a new text up for signing."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    if who.organization_id == contract.customer_id:
        return who.has(Role.CUSTOMER_MANAGER, Role.ADMINISTRATOR)
    return who.organization_id == contract.provider_id and who.has(Role.ADMINISTRATOR)


def can_sign(user: User, contract: Contract, party: str) -> bool:
    """The customer signs by a manager or administrator of its own; the provider by an administrator."""
    who = principal_of(user)
    if party == CUSTOMER:
        return who.organization_id == contract.customer_id and who.has(Role.CUSTOMER_MANAGER, Role.ADMINISTRATOR)
    return who.organization_id == contract.provider_id and who.has(Role.ADMINISTRATOR)


def register_version(contract: Contract, *, actor: User, source: str, at: datetime | None = None) -> ContractVersion:
    """A draft version from a contract text the kernel accepts; the text's services become Service rows.

    The version number and the effective dates come from the text. A draft of the same number is
    replaced; a signed one never is.
    """
    if not can_register_version(actor, contract):
        raise PermissionDenied(_("You may not register versions of this contract."))
    filename = f"{contract.slug}.yaml"
    try:
        terms = load_contract(source, filename)
    except ContractError as error:
        problems = [str(diagnostic) for diagnostic in error.diagnostics if diagnostic.severity == "error"]
        raise ActionRefused(
            _("The contract text has %(count)d problem(s).") % {"count": len(problems)},
            errors={"source": problems or [str(error)]},
        ) from None
    mismatches = [
        (field, written, expected)
        for field, written, expected in (
            ("contract", terms.id, contract.slug),
            ("customer", terms.customer, contract.customer.slug),
            ("provider", terms.provider, contract.provider.slug),
        )
        if written != expected
    ]
    if mismatches:
        raise ActionRefused(
            _("The text is not about this contract."),
            errors={"source": [
                _("%(field)s is %(written)s in the text, but %(expected)s here.")
                % {"field": field, "written": written, "expected": expected}
                for field, written, expected in mismatches
            ]},
        )
    with transaction.atomic():
        existing = ContractVersion.objects.select_for_update().filter(contract=contract, number=terms.version).first()
        if existing is not None and existing.status == VersionStatus.SIGNED:
            latest = ContractVersion.objects.filter(contract=contract).aggregate(Max("number"))["number__max"]
            message = _("Version %(number)d is signed and never changes; number the new text %(next)d.") % {
                "number": terms.version, "next": latest + 1}
            raise ActionRefused(message, errors={"source": [message]}, status=409)
        version = existing or ContractVersion(contract=contract, number=terms.version)
        version.source = source
        version.sha256 = hashlib.sha256(source.encode()).hexdigest()
        version.effective_from = terms.effective_from
        version.effective_to = terms.effective_to
        version.customer_signed_by = version.provider_signed_by = None
        version.customer_signed_at = version.provider_signed_at = None
        version.save()
        for key, service in terms.services.items():
            Service.objects.update_or_create(
                contract=contract, key=key, defaults={"name": service.name, "tier": service.tier}
            )
    return version


def sign_version(version: ContractVersion, *, actor: User, party: str | None = None,
                 at: datetime | None = None) -> ContractVersion:
    """One party signs (``party`` defaults to the actor's side); signed by both, the version is in force."""
    contract = version.contract
    if party is None:
        party = CUSTOMER if actor.organization_id == contract.customer_id else PROVIDER
    if party not in (CUSTOMER, PROVIDER):
        raise ActionRefused(_("Party must be customer or provider."), errors={"party": [_("Party must be customer or provider.")]})
    if not can_sign(actor, contract, party):
        raise PermissionDenied(_("You may not sign for the %(party)s.") % {"party": party})
    at = timezone.now() if at is None else at
    with transaction.atomic():
        locked = ContractVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status == VersionStatus.SIGNED:
            message = _("Version %(number)d is signed already and never changes.") % {"number": locked.number}
            raise ActionRefused(message, errors={"party": [message]}, status=409)
        signed_by = "customer_signed_by" if party == CUSTOMER else "provider_signed_by"
        if getattr(locked, f"{signed_by}_id") is not None:
            message = _("The %(party)s has signed this version already.") % {"party": party}
            raise ActionRefused(message, errors={"party": [message]}, status=409)
        setattr(locked, signed_by, actor)
        setattr(locked, signed_by.replace("_by", "_at"), at)
        if locked.customer_signed_by_id and locked.provider_signed_by_id:
            locked.status = VersionStatus.SIGNED
        locked.save()
    return locked
