"""Every write of availability: recording an outage, ending it, correcting it.

Each action takes a keyword-only ``actor``, checks the access rule, validates (a refusal names the field
and changes nothing), writes in one transaction and appends to the outage's history.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.availability.models import Outage, OutageHistory
from servicepact.availability.models.outage import REFERENCE_LENGTH
from servicepact.contracts.models import Contract, Service
from servicepact.history.actions import record
from servicepact.permissions.availability import can_change_outage, can_record_outage
from servicepact.refusals import ActionRefused
from servicepact.sla.timefmt import END_INSTANT, FIRST_INSTANT

DESCRIPTION_MAX = Outage._meta.get_field("description").max_length


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ActionRefused(first, errors=errors)


def _instant_problem(value: datetime | None, field: str, errors: dict) -> None:
    if value is None:
        return
    if timezone.is_naive(value):
        errors.setdefault(field, []).append(_("Give a time with its time zone."))
    elif not FIRST_INSTANT <= value.timestamp() < END_INSTANT:  # what the outage log can carry
        errors.setdefault(field, []).append(_("Give a time between 1970 and 2199."))


def _whole(value: datetime | None) -> datetime | None:
    """The kernel counts whole seconds (sub-seconds are dropped, as in the outage log)."""
    return value.replace(microsecond=0) if value is not None else None


def _check(
    start: datetime | None, end: datetime | None, reference: str, description: str, errors: dict, *, now: datetime
) -> None:
    if start is None:
        errors.setdefault("start", []).append(_("This field is required."))
    _instant_problem(start, "start", errors)
    _instant_problem(end, "end", errors)
    if start is not None and end is not None and "start" not in errors and "end" not in errors and end <= start:
        errors.setdefault("end", []).append(_("The end must be after the start."))
    if start is not None and "start" not in errors and start > now:
        errors.setdefault("start", []).append(_("An outage is recorded once it has begun; the start is in the future."))
    if len(reference) > REFERENCE_LENGTH:
        errors.setdefault("reference", []).append(
            _("A reference has at most %(limit)d characters.") % {"limit": REFERENCE_LENGTH}
        )
    if len(description) > DESCRIPTION_MAX:
        errors.setdefault("description", []).append(
            _("A description has at most %(limit)d characters.") % {"limit": DESCRIPTION_MAX}
        )


def _facts(outage: Outage) -> dict:
    return {
        "service": outage.service.key,
        "start": outage.start.isoformat(),
        "end": outage.end.isoformat() if outage.end else None,
        "planned": outage.planned,
        "reference": outage.reference,
        "description": outage.description,
    }


def record_outage(
    *,
    actor,
    contract: Contract,
    service: Service | None,
    start: datetime | None,
    end: datetime | None = None,
    planned: bool = False,
    reference: str = "",
    description: str = "",
    now: datetime | None = None,
) -> Outage:
    """Record an outage of ``service`` (a service of ``contract``); ``end`` None while it lasts."""
    if not can_record_outage(actor, contract):
        raise PermissionDenied(_("You may not record outages of this contract."))
    now = now or timezone.now()
    reference, description = " ".join((reference or "").split()), (description or "").strip()
    errors: dict[str, list[str]] = {}
    if service is None:
        errors["service"] = [_("This field is required.")]
    elif service.contract_id != contract.pk:
        errors["service"] = [_("Choose a service of this contract.")]
    start, end = _whole(start), _whole(end)
    _check(start, end, reference, description, errors, now=now)
    _refuse_if(errors)
    with transaction.atomic():
        outage = Outage.objects.create(
            contract=contract,
            service=service,
            start=start,
            end=end,
            planned=planned,
            reference=reference,
            description=description,
            recorded_by=actor,
            recorded_at=now,
        )
        record(outage, type=OutageHistory.RECORDED, actor=actor, data=_facts(outage), at=now)
    return outage


def end_outage(outage: Outage, *, actor, end: datetime | None, now: datetime | None = None) -> Outage:
    """End an open outage at ``end``."""
    if not can_change_outage(actor, outage):
        raise PermissionDenied(_("You may not change outages of this contract."))
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    end = _whole(end)
    if end is None:
        errors["end"] = [_("This field is required.")]
    _instant_problem(end, "end", errors)
    _refuse_if(errors)
    with transaction.atomic():
        locked = Outage.objects.select_for_update().select_related("service").get(pk=outage.pk)
        if locked.end is not None:
            message = _("This outage has ended already.")
            raise ActionRefused(message, errors={"end": [message]}, status=409)
        if end <= locked.start:
            message = _("The end must be after the start.")
            raise ActionRefused(message, errors={"end": [message]})
        locked.end = end
        locked.save(update_fields=["end"])
        record(locked, type=OutageHistory.ENDED, actor=actor, data={"end": end.isoformat()}, at=now)
    return locked


def correct_outage(
    outage: Outage,
    *,
    actor,
    reason: str,
    start: datetime | None,
    end: datetime | None,
    planned: bool,
    reference: str = "",
    description: str = "",
    now: datetime | None = None,
) -> Outage:
    """Correct an outage's times, planned flag, reference or description, saying why; the history keeps both."""
    if not can_change_outage(actor, outage):
        raise PermissionDenied(_("You may not change outages of this contract."))
    now = now or timezone.now()
    reason = " ".join((reason or "").split())
    reference, description = " ".join((reference or "").split()), (description or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the outage is corrected.")]
    start, end = _whole(start), _whole(end)
    _check(start, end, reference, description, errors, now=now)
    _refuse_if(errors)
    with transaction.atomic():
        locked = Outage.objects.select_for_update().select_related("service").get(pk=outage.pk)
        before = _facts(locked)
        locked.start, locked.end, locked.planned = start, end, planned
        locked.reference, locked.description = reference, description
        after = _facts(locked)
        changed = {key: {"from": before[key], "to": after[key]} for key in after if before[key] != after[key]}
        if not changed:
            message = _("Nothing to correct: the outage already reads so.")
            raise ActionRefused(message, errors={"outage": [message]}, status=409)
        locked.save(update_fields=["start", "end", "planned", "reference", "description"])
        record(locked, type=OutageHistory.CORRECTED, actor=actor, data={"reason": reason, "changes": changed}, at=now)
    return locked
