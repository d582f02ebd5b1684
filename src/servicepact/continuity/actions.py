"""Every write of service continuity: writing a service's plan, revising it, recording a test of it.

Each action takes a keyword-only ``actor``, checks the access rule, validates (a refusal names the field
and changes nothing), writes in one transaction and appends to the plan's history.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.continuity.models import ContinuityPlan, ExerciseResult, PlanHistory, PlanTest
from servicepact.contracts.models import Contract, Service
from servicepact.history.actions import record
from servicepact.permissions.continuity import can_manage_continuity, can_manage_plan
from servicepact.refusals import ActionRefused

TITLE_MAX = ContinuityPlan._meta.get_field("title").max_length
TEXT_MAX = 10000
# A week is the longest objective or measured time a plan speaks of; more is a typing mistake.
MINUTES_MAX = 7 * 24 * 60


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ActionRefused(first, errors=errors)


def _minutes(value: int | None, field: str, errors: dict) -> None:
    if value is not None and not 0 <= value <= MINUTES_MAX:
        errors.setdefault(field, []).append(
            _("Give a number of minutes between 0 and %(limit)d.") % {"limit": MINUTES_MAX}
        )


def _text(value: str, field: str, limit: int, errors: dict) -> None:
    if len(value) > limit:
        errors.setdefault(field, []).append(_("At most %(limit)d characters.") % {"limit": limit})


def _plan_facts(plan: ContinuityPlan) -> dict:
    return {
        "service": plan.service.key,
        "title": plan.title,
        "summary": plan.summary,
        "rto_minutes": plan.rto_minutes,
        "rpo_minutes": plan.rpo_minutes,
    }


def write_plan(
    *,
    actor,
    contract: Contract,
    service: Service | None,
    title: str,
    summary: str = "",
    rto_minutes: int | None = None,
    rpo_minutes: int | None = None,
    now: datetime | None = None,
) -> ContinuityPlan:
    """Write the continuity plan of ``service`` (one plan per service)."""
    if not can_manage_continuity(actor, contract):
        raise PermissionDenied(_("You may not write continuity plans of this contract."))
    now = now or timezone.now()
    title, summary = " ".join((title or "").split()), (summary or "").strip()
    errors: dict[str, list[str]] = {}
    if service is None:
        errors["service"] = [_("This field is required.")]
    elif service.contract_id != contract.pk:
        errors["service"] = [_("Choose a service of this contract.")]
    elif ContinuityPlan.objects.filter(service=service).exists():
        errors["service"] = [_("This service has a plan already; revise it.")]
    if not title:
        errors["title"] = [_("This field is required.")]
    _text(title, "title", TITLE_MAX, errors)
    _text(summary, "summary", TEXT_MAX, errors)
    _minutes(rto_minutes, "rto_minutes", errors)
    _minutes(rpo_minutes, "rpo_minutes", errors)
    _refuse_if(errors)
    with transaction.atomic():
        plan = ContinuityPlan.objects.create(
            contract=contract,
            service=service,
            title=title,
            summary=summary,
            rto_minutes=rto_minutes,
            rpo_minutes=rpo_minutes,
            written_by=actor,
            written_at=now,
        )
        record(plan, type=PlanHistory.WRITTEN, actor=actor, data=_plan_facts(plan), at=now)
    return plan


def revise_plan(
    plan: ContinuityPlan,
    *,
    actor,
    title: str,
    summary: str = "",
    rto_minutes: int | None = None,
    rpo_minutes: int | None = None,
    now: datetime | None = None,
) -> ContinuityPlan:
    """Revise a plan's title, steps or objectives; the history keeps what changed."""
    if not can_manage_plan(actor, plan):
        raise PermissionDenied(_("You may not write continuity plans of this contract."))
    now = now or timezone.now()
    title, summary = " ".join((title or "").split()), (summary or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("This field is required.")]
    _text(title, "title", TITLE_MAX, errors)
    _text(summary, "summary", TEXT_MAX, errors)
    _minutes(rto_minutes, "rto_minutes", errors)
    _minutes(rpo_minutes, "rpo_minutes", errors)
    _refuse_if(errors)
    with transaction.atomic():
        locked = ContinuityPlan.objects.select_for_update().select_related("service").get(pk=plan.pk)
        before = _plan_facts(locked)
        locked.title, locked.summary, locked.rto_minutes, locked.rpo_minutes = title, summary, rto_minutes, rpo_minutes
        after = _plan_facts(locked)
        changes = {key: {"from": before[key], "to": after[key]} for key in after if before[key] != after[key]}
        if not changes:
            message = _("Nothing to revise: the plan already reads so.")
            raise ActionRefused(message, errors={"plan": [message]}, status=409)
        locked.save(update_fields=["title", "summary", "rto_minutes", "rpo_minutes"])
        record(locked, type=PlanHistory.REVISED, actor=actor, data={"changes": changes}, at=now)
    return locked


def record_test(
    plan: ContinuityPlan,
    *,
    actor,
    tested_on: date | None,
    result: str,
    recovery_minutes: int | None = None,
    data_loss_minutes: int | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> PlanTest:
    """Record a test of ``plan``: its date, result and what it achieved."""
    if not can_manage_plan(actor, plan):
        raise PermissionDenied(_("You may not record tests of this plan."))
    now = now or timezone.now()
    notes = (notes or "").strip()
    errors: dict[str, list[str]] = {}
    if tested_on is None:
        errors["tested_on"] = [_("This field is required.")]
    elif tested_on > timezone.localdate(now):
        errors["tested_on"] = [_("A test is recorded once it took place; the date is in the future.")]
    if result not in ExerciseResult.values:
        errors["result"] = [_("Choose passed, partly passed or failed.")]
    _minutes(recovery_minutes, "recovery_minutes", errors)
    _minutes(data_loss_minutes, "data_loss_minutes", errors)
    _text(notes, "notes", TEXT_MAX, errors)
    _refuse_if(errors)
    with transaction.atomic():
        test = PlanTest.objects.create(
            plan=plan,
            tested_on=tested_on,
            result=result,
            recovery_minutes=recovery_minutes,
            data_loss_minutes=data_loss_minutes,
            notes=notes,
            recorded_by=actor,
            recorded_at=now,
        )
        data = {
            "tested_on": tested_on.isoformat(),
            "result": result,
            "recovery_minutes": recovery_minutes,
            "data_loss_minutes": data_loss_minutes,
            "text": notes,
        }
        record(plan, type=PlanHistory.TESTED, actor=actor, data=data, at=now)
    return test
