"""Writes to contracts: registering a version's text, signing it; and which version is in force."""

import functools
from datetime import datetime, timezone as dt_timezone

from django.db.models import Q
from django.utils.translation import gettext as _

from servicepact.contracts.models import Contract, ContractVersion, VersionStatus
from servicepact.refusals import ActionRefused
from servicepact.sla.contract import load_contract
from servicepact.sla.contract_model import Contract as KernelContract


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
