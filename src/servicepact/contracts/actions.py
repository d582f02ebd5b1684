"""Writes to contracts: registering a version's text, signing it; and which version is in force."""

import hashlib
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.cmdb.actions import keep_business_services
from servicepact.contracts.lookups import signed_versions
from servicepact.contracts.models import Contract, ContractVersion, Service, VersionStatus
from servicepact.contracts.models.version import in_force_among

# Who registers and signs versions is the access layer's rule; the actions check it and the pages and
# API operations declare it (``actions.can_sign`` etc. stay importable from here).
from servicepact.permissions import can_register_version, can_sign, reads_contracts  # noqa: F401
from servicepact.refusals import ActionRefused
from servicepact.sla.contract import load_contract
from servicepact.sla.contract_errors import ContractError
from servicepact.sla.contract_model import Contract as KernelContract

CUSTOMER, PROVIDER = "customer", "provider"
PARTIES = (CUSTOMER, PROVIDER)
# The longest contract text accepted; the reference contract is about 4,000 characters.
SOURCE_MAX = 200_000


def kernel_contract(version: ContractVersion) -> KernelContract:
    """The SLA kernel's loaded form of a version's text, loaded once per text (signed texts never change)."""
    return version.kernel()


def version_in_force(contract: Contract, at: datetime, *, generation: int | None = None) -> ContractVersion:
    """The signed version in force at ``at``: the highest number whose effective dates hold the date of
    ``at`` in the contract's reporting time zone (SLA-SPEC section 5, "Several versions").

    With the caches' ``generation``, among the contract's signed versions kept per process."""
    if generation is not None:
        candidates = signed_versions(contract, generation)
    else:
        # The date in any time zone is the UTC date or a day either side: fetch those candidates only.
        utc_day = at.astimezone(UTC).date()
        candidates = (
            ContractVersion.objects.signed()
            .filter(contract=contract, effective_from__lte=utc_day + timedelta(days=1))
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=utc_day - timedelta(days=1)))
        )
    version = in_force_among(candidates, at)
    if version is None:
        day = at.astimezone(UTC).date().isoformat()
        raise ActionRefused(
            _("Contract %(contract)s has no signed version in force on %(day)s.")
            % {"contract": contract.slug, "day": day},
            errors={"contract": [_("No signed version in force on %(day)s.") % {"day": day}]},
            status=409,
        )
    return version


def parties_to_sign(user: User, version: ContractVersion) -> list[str]:
    """The parties ``user`` may sign ``version`` for now: none once signed, none already signed."""
    if version.is_signed:
        return []
    unsigned = [party for party in PARTIES if getattr(version, f"{party}_signed_by_id") is None]
    return [party for party in unsigned if can_sign(user, version.contract, party)]


def sha256_of(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def check_text(contract: Contract, source: str) -> KernelContract:
    """The kernel's form of a text for ``contract``; refused with every problem at its line and column."""
    if len(source) > SOURCE_MAX:
        message = _("The contract text has %(length)d characters; the most accepted is %(limit)d.") % {
            "length": len(source),
            "limit": SOURCE_MAX,
        }
        raise ActionRefused(message, errors={"source": [message]})
    try:
        terms = load_contract(source, f"{contract.slug}.yaml")
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
            errors={
                "source": [
                    _("%(field)s is %(written)s in the text, but %(expected)s here.")
                    % {"field": field, "written": written, "expected": expected}
                    for field, written, expected in mismatches
                ]
            },
        )
    return terms


def register_version(contract: Contract, *, actor: User, source: str, at: datetime | None = None) -> ContractVersion:
    """A draft version from a contract text the kernel accepts.

    The version number and the effective dates come from the text. A draft of the same number is
    replaced (its signatures, given to the old text, are dropped); a signed one never is. A draft changes
    nothing live: services take their names and tiers from the signed version in force.
    """
    if not can_register_version(actor, contract):
        raise PermissionDenied(_("You may not register versions of this contract."))
    terms = check_text(contract, source)
    with transaction.atomic():
        existing = ContractVersion.objects.select_for_update().filter(contract=contract, number=terms.version).first()
        if existing is not None and existing.is_signed:
            latest = ContractVersion.objects.filter(contract=contract).aggregate(Max("number"))["number__max"]
            message = _("Version %(number)d is signed and never changes; number the new text %(next)d.") % {
                "number": terms.version,
                "next": latest + 1,
            }
            raise ActionRefused(message, errors={"source": [message]}, status=409)
        version = existing or ContractVersion(contract=contract, number=terms.version)
        version.source = source
        version.sha256 = sha256_of(source)
        version.effective_from = terms.effective_from
        version.effective_to = terms.effective_to
        version.registered_by = actor
        version.customer_signed_by = version.provider_signed_by = None
        version.customer_signed_at = version.provider_signed_at = None
        version.save()
    return version


def refuse_retroactive(version: ContractVersion) -> None:
    """Refuse a version that would take effect before tickets already created under a lower version.

    Tickets follow the version in force at their creation (the highest whose effective dates hold that
    day in the reporting time zone). A version signed today but effective from an earlier day would move
    tickets created since onto it in every recomputation, while the service pinned them to the version
    in force when they were created: the two would disagree. Such a version must take effect later.
    """
    zone = ZoneInfo(version.kernel().reporting_timezone)
    start = datetime.combine(version.effective_from, time.min, tzinfo=zone)
    moved = version.contract.tickets.filter(created_at__gte=start, contract_version__number__lt=version.number)
    if version.effective_to is not None:
        moved = moved.filter(
            created_at__lt=datetime.combine(version.effective_to + timedelta(days=1), time.min, tzinfo=zone)
        )
    latest = moved.order_by("-created_at").values_list("created_at", flat=True).first()
    if latest is None:
        return
    earliest = (latest.astimezone(zone).date() + timedelta(days=1)).isoformat()
    message = _(
        "Version %(number)d would take effect on %(start)s, before %(count)d ticket(s) created under an earlier "
        "version; they would follow it in every recomputation. Register it with effective.from on %(earliest)s "
        "or later."
    ) % {
        "number": version.number,
        "start": version.effective_from.isoformat(),
        "count": moved.count(),
        "earliest": earliest,
    }
    raise ActionRefused(message, errors={"effective_from": [message]}, status=409)


def sign_version(
    version: ContractVersion,
    *,
    actor: User,
    party: str | None = None,
    at: datetime | None = None,
    sha256: str | None = None,
) -> ContractVersion:
    """One party signs (``party`` defaults to the actor's side); signed by both, the version is final.

    ``sha256``, when given, is the text the signer reviewed: a draft replaced since is refused, so nobody
    signs a text they did not see. The signature that completes the version makes the Service rows of
    the services it lists that have none yet.
    """
    contract = version.contract
    if party is None:
        party = CUSTOMER if actor.organization_id == contract.customer_id else PROVIDER
    if party not in PARTIES:
        message = _("Party must be customer or provider.")
        raise ActionRefused(message, errors={"party": [message]})
    if not can_sign(actor, contract, party):
        raise PermissionDenied(_("You may not sign for the %(party)s.") % {"party": party})
    at = timezone.now() if at is None else at
    with transaction.atomic():
        locked = ContractVersion.objects.select_for_update().get(pk=version.pk)
        if locked.is_signed:
            message = _("Version %(number)d is signed already and never changes.") % {"number": locked.number}
            raise ActionRefused(message, errors={"party": [message]}, status=409)
        if sha256 is not None and sha256 != locked.sha256:
            message = _("Version %(number)d was replaced by another text since you read it; read it again.") % {
                "number": locked.number
            }
            raise ActionRefused(message, errors={"sha256": [message]}, status=409)
        signed_by = f"{party}_signed_by"
        if getattr(locked, f"{signed_by}_id") is not None:
            message = _("The %(party)s has signed this version already.") % {"party": party}
            raise ActionRefused(message, errors={"party": [message]}, status=409)
        setattr(locked, signed_by, actor)
        setattr(locked, f"{party}_signed_at", at)
        if locked.customer_signed_by_id and locked.provider_signed_by_id:
            refuse_retroactive(locked)
            locked.status = VersionStatus.SIGNED
        locked.save()
        if locked.is_signed:
            for key in locked.kernel().services:
                Service.objects.get_or_create(contract=contract, key=key)
            keep_business_services(contract, actor=actor)  # the CMDB's business services follow the text
    return locked
