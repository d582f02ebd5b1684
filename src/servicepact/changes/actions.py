"""Every write of change and release management. Each checks who acts and the change's state, runs in one
transaction and appends to the record's history.

A change is raised as a draft (standard ones from a pre-approved template), submitted (its risk and impact
assessed from the CMDB, freezes checked, the board and the rule for its risk frozen onto it; a standard
change is approved at once), decided by the board (each member approves or rejects with a comment: one
rejection rejects it; "any" needs one approval, "all" every member's), implemented by the implementers
only once approved, and closed by its post-implementation review.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Membership, Role, User
from servicepact.changes import planning
from servicepact.changes.models import (
    Approval,
    Change,
    ChangeHistory,
    ChangeKind,
    ChangeStatus,
    ChangeTask,
    ChangeTicket,
    Decision,
    Deployment,
    Environment,
    LinkRelation,
    Outcome,
    Release,
    ReleaseHistory,
    StandardChange,
)
from servicepact.cmdb.models import ConfigurationItem
from servicepact.contracts.models import Contract
from servicepact.history.actions import record
from servicepact.permissions.changes import (
    can_decide,
    can_edit_change,
    can_implement,
    can_manage_release,
    can_request_change,
)
from servicepact.problems.actions import close_fixed_by
from servicepact.refusals import ActionRefused

MAX_WINDOW_DAYS = 14


def _refuse(field: str, message: str, status: int = 422) -> ActionRefused:
    return ActionRefused(message, errors={field: [message]}, status=status)


def _locked(change: Change) -> Change:
    return Change.objects.select_for_update().select_related("contract").get(pk=change.pk)


def _check_window(start: datetime, end: datetime) -> None:
    if start is None or end is None:
        raise _refuse("planned_start", _("Give the planned window's start and end."))
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise _refuse("planned_start", _("The planned window needs a time zone."))
    if end <= start:
        raise _refuse("planned_end", _("The planned end must be after the planned start."))
    if (end - start).days > MAX_WINDOW_DAYS:
        raise _refuse("planned_end", _("A change's window is at most %(days)d days.") % {"days": MAX_WINDOW_DAYS})


def _check_items(contract: Contract, items: list[ConfigurationItem]) -> None:
    if not items:
        raise _refuse("items", _("Name at least one configuration item the change touches."))
    if any(item.contract_id != contract.pk for item in items):
        raise _refuse("items", _("Every item must belong to the change's contract."))


def raise_change(
    contract: Contract,
    *,
    actor: User,
    kind: str,
    title: str,
    items: list[ConfigurationItem],
    planned_start: datetime,
    planned_end: datetime,
    description: str = "",
    implementation_plan: str = "",
    backout_plan: str = "",
    template: StandardChange | None = None,
) -> Change:
    if not can_request_change(actor, contract):
        raise PermissionDenied(_("You may not raise changes under this contract."))
    if kind not in ChangeKind.values:
        raise _refuse("kind", _("Choose one of: %(choices)s.") % {"choices": ", ".join(ChangeKind.values)})
    if kind == ChangeKind.STANDARD:
        if template is None or template.contract_id != contract.pk:
            raise _refuse("template", _("A standard change is made from one of the contract's templates."))
        implementation_plan = implementation_plan or template.implementation_plan
        backout_plan = backout_plan or template.backout_plan
        title = title or template.title
    elif template is not None:
        raise _refuse("template", _("Only a standard change is made from a template."))
    if not title.strip():
        raise _refuse("title", _("Give the change a title."))
    _check_window(planned_start, planned_end)
    _check_items(contract, items)
    with transaction.atomic():
        change = Change.objects.create(
            contract=contract,
            kind=kind,
            template=template,
            title=title.strip()[:200],
            description=description,
            planned_start=planned_start,
            planned_end=planned_end,
            implementation_plan=implementation_plan,
            backout_plan=backout_plan,
            requested_by=actor,
        )
        change.items.set(items)
        change.risk, change.impact = planning.assess(items, actor)
        change.save(update_fields=["risk", "impact"])
        record(
            change,
            type=ChangeHistory.RAISED,
            actor=actor,
            data={"kind": kind, "title": change.title, "items": sorted(item.key for item in items)},
        )
    return change


def update_change(change: Change, *, actor: User, items: list[ConfigurationItem] | None = None, **fields) -> Change:
    """A draft's plan may change; once submitted it is the board's to decide as it stands."""
    if not can_edit_change(actor, change):
        raise PermissionDenied(_("You may not change this change."))
    allowed = {"title", "description", "planned_start", "planned_end", "implementation_plan", "backout_plan"}
    unknown = set(fields) - allowed
    if unknown:
        raise _refuse(sorted(unknown)[0], _("%(field)s cannot be changed.") % {"field": sorted(unknown)[0]})
    with transaction.atomic():
        locked = _locked(change)
        if locked.status != ChangeStatus.DRAFT:
            raise _refuse("status", _("Only a draft can be changed; this change is %(s)s.") % {"s": locked.status}, 409)
        for name, value in fields.items():
            setattr(locked, name, value)
        _check_window(locked.planned_start, locked.planned_end)
        if items is not None:
            _check_items(locked.contract, items)
            locked.items.set(items)
        locked.risk, locked.impact = planning.assess(list(locked.items.all()), actor)
        locked.save()
        record(locked, type=ChangeHistory.UPDATED, actor=actor, data={"fields": sorted(fields)})
    return locked


def board_of(contract: Contract, team_slug: str | None) -> list[int]:
    """The people who decide: the members of the team the contract names (the customer's), or else the
    customer's managers."""
    memberships = Membership.objects.filter(
        organization_id=contract.customer_id, user__organization_id=contract.customer_id, user__is_active=True
    )
    if team_slug:
        memberships = memberships.filter(team__slug=team_slug)
    else:
        memberships = memberships.filter(role=Role.CUSTOMER_MANAGER)
    return sorted(set(memberships.values_list("user_id", flat=True)))


def submit(change: Change, *, actor: User) -> Change:
    """Assess the change, check the freezes, freeze the board and the rule onto it, and ask for approval.

    A change planned inside a freeze is refused unless it is an emergency; a standard change is approved at
    once (its template is pre-approved).
    """
    if not can_edit_change(actor, change):
        raise PermissionDenied(_("You may not submit this change."))
    with transaction.atomic():
        locked = _locked(change)
        if locked.status != ChangeStatus.DRAFT:
            raise _refuse("status", _("Only a draft can be submitted."), 409)
        items = list(locked.items.all())
        locked.risk, locked.impact = planning.assess(items, actor)
        services = {service["key"] for service in locked.impact.get("services", [])}
        met = planning.freezes_met(locked, services)
        if met and locked.kind != ChangeKind.EMERGENCY:
            freeze = met[0]
            message = _(
                "The window meets the freeze from %(start)s to %(end)s%(reason)s; only an emergency change may."
            ) % {
                "start": freeze.start,
                "end": freeze.end,
                "reason": f" ({freeze.reason})" if freeze.reason else "",
            }
            raise _refuse("planned_start", message, 409)
        locked.in_freeze = bool(met)
        terms, _zone = planning.terms(locked.contract, locked.planned_start)
        locked.implementers = terms.implementers or ""
        if locked.kind == ChangeKind.STANDARD:
            locked.status = ChangeStatus.APPROVED
            locked.board, locked.rule = [], ""
        else:
            board = board_of(locked.contract, terms.advisory_board)
            if not board:
                raise _refuse("status", _("The contract's change advisory board has no members to decide."), 409)
            locked.board = board
            # An emergency is decided by any one member of the board, whatever its risk.
            locked.rule = "any" if locked.kind == ChangeKind.EMERGENCY else terms.rule_for(locked.risk)
            locked.status = ChangeStatus.AWAITING_APPROVAL
        locked.save()
        record(
            locked,
            type=ChangeHistory.SUBMITTED,
            actor=actor,
            data={"risk": locked.risk, "rule": locked.rule, "board": locked.board, "in_freeze": locked.in_freeze},
        )
        if locked.status == ChangeStatus.APPROVED:
            record(locked, type=ChangeHistory.APPROVED, actor=actor, data={"reason": _("Standard change")})
    return locked


def decide(change: Change, *, actor: User, approve: bool, comment: str) -> Change:
    if not can_decide(actor, change):
        raise PermissionDenied(_("You are not on this change's advisory board."))
    if not comment.strip():
        raise _refuse("comment", _("Say why, in a comment."))
    with transaction.atomic():
        locked = _locked(change)
        if locked.status != ChangeStatus.AWAITING_APPROVAL:
            raise _refuse("status", _("The change is not awaiting approval."), 409)
        if Approval.objects.filter(change=locked, approver=actor).exists():
            raise _refuse("comment", _("You have decided on this change already."), 409)
        decision = Decision.APPROVED if approve else Decision.REJECTED
        Approval.objects.create(change=locked, approver=actor, decision=decision, comment=comment, at=timezone.now())
        record(
            locked,
            type=ChangeHistory.APPROVAL if approve else ChangeHistory.REJECTION,
            actor=actor,
            data={"text": comment},
        )
        decisions = dict(Approval.objects.filter(change=locked).values_list("approver_id", "decision"))
        if not approve:
            locked.status = ChangeStatus.REJECTED
            record(locked, type=ChangeHistory.REJECTED, actor=actor, data={"reason": comment})
        elif locked.rule == "any" or all(decisions.get(member) == Decision.APPROVED for member in locked.board):
            locked.status = ChangeStatus.APPROVED
            record(locked, type=ChangeHistory.APPROVED, actor=actor, data={"rule": locked.rule})
        locked.save()
    return locked


def start(change: Change, *, actor: User) -> Change:
    if not can_implement(actor, change):
        raise PermissionDenied(_("Only the contract's implementers implement changes."))
    with transaction.atomic():
        locked = _locked(change)
        if locked.status != ChangeStatus.APPROVED:
            raise _refuse("status", _("A change is implemented only once approved."), 409)
        locked.status, locked.started_at, locked.implemented_by = ChangeStatus.IN_PROGRESS, timezone.now(), actor
        locked.save()
        record(locked, type=ChangeHistory.STARTED, actor=actor)
    return locked


def finish(change: Change, *, actor: User, outcome: str, text: str = "") -> Change:
    if not can_implement(actor, change):
        raise PermissionDenied(_("Only the contract's implementers implement changes."))
    if outcome not in Outcome.values:
        raise _refuse("outcome", _("Choose one of: %(choices)s.") % {"choices": ", ".join(Outcome.values)})
    with transaction.atomic():
        locked = _locked(change)
        if locked.status != ChangeStatus.IN_PROGRESS:
            raise _refuse("status", _("Only a change in progress can be finished."), 409)
        locked.status, locked.finished_at, locked.outcome = ChangeStatus.IMPLEMENTED, timezone.now(), outcome
        locked.save()
        record(locked, type=ChangeHistory.IMPLEMENTED, actor=actor, data={"outcome": outcome, "text": text})
        if outcome == Outcome.SUCCESSFUL:
            close_fixed_by(locked, actor=actor)  # the problems it was to fix
    return locked


def review(change: Change, *, actor: User, text: str) -> Change:
    """The post-implementation review closes the change."""
    if not (can_edit_change(actor, change) or can_implement(actor, change)):
        raise PermissionDenied(_("You may not review this change."))
    if not text.strip():
        raise _refuse("review", _("Write the review."))
    with transaction.atomic():
        locked = _locked(change)
        if locked.status != ChangeStatus.IMPLEMENTED:
            raise _refuse("status", _("Only an implemented change is reviewed."), 409)
        locked.status, locked.review = ChangeStatus.CLOSED, text
        locked.save()
        record(locked, type=ChangeHistory.REVIEWED, actor=actor, data={"text": text})
    return locked


def cancel(change: Change, *, actor: User, reason: str) -> Change:
    if not can_edit_change(actor, change):
        raise PermissionDenied(_("You may not cancel this change."))
    with transaction.atomic():
        locked = _locked(change)
        if locked.status not in (ChangeStatus.DRAFT, ChangeStatus.AWAITING_APPROVAL, ChangeStatus.APPROVED):
            raise _refuse("status", _("This change can no longer be cancelled."), 409)
        locked.status = ChangeStatus.CANCELLED
        locked.save()
        record(locked, type=ChangeHistory.CANCELLED, actor=actor, data={"reason": reason})
    return locked


def add_task(change: Change, *, actor: User, title: str, team=None) -> ChangeTask:
    if not (can_edit_change(actor, change) or can_implement(actor, change)):
        raise PermissionDenied(_("You may not add tasks to this change."))
    if not title.strip():
        raise _refuse("title", _("Name the task."))
    with transaction.atomic():
        task = ChangeTask.objects.create(change=change, title=title.strip()[:200], team=team)
        record(change, type=ChangeHistory.TASK, actor=actor, data={"task": task.title, "done": False})
    return task


def complete_task(task: ChangeTask, *, actor: User) -> ChangeTask:
    if not can_implement(actor, task.change):
        raise PermissionDenied(_("Only the implementers complete a change's tasks."))
    with transaction.atomic():
        task = ChangeTask.objects.select_for_update().get(pk=task.pk)
        if task.done_at is not None:
            raise _refuse("task", _("The task is done already."), 409)
        task.done_at, task.done_by = timezone.now(), actor
        task.save()
        record(task.change, type=ChangeHistory.TASK, actor=actor, data={"task": task.title, "done": True})
    return task


def link_ticket(change: Change, ticket, *, actor: User, relation: str) -> ChangeTicket:
    """The change caused, or fixes, an incident."""
    if not can_edit_change(actor, change):
        raise PermissionDenied(_("You may not link tickets to this change."))
    if relation not in LinkRelation.values:
        raise _refuse("relation", _("Choose one of: %(choices)s.") % {"choices": ", ".join(LinkRelation.values)})
    if ticket.contract_id != change.contract_id:
        raise _refuse("ticket", _("The ticket belongs to another contract."))
    with transaction.atomic():
        link, made = ChangeTicket.objects.get_or_create(change=change, ticket=ticket, relation=relation)
        if not made:
            raise _refuse("ticket", _("The link exists already."), 409)
        record(change, type=ChangeHistory.LINKED, actor=actor, data={"ticket": ticket.number, "relation": relation})
    return link


def create_release(contract: Contract, *, actor: User, name: str, version: str, notes: str = "") -> Release:
    if not can_request_change(actor, contract):
        raise PermissionDenied(_("You may not create releases under this contract."))
    if not name.strip() or not version.strip():
        raise _refuse("name", _("Give the release a name and a version."))
    with transaction.atomic():
        if Release.objects.filter(contract=contract, name=name.strip(), version=version.strip()).exists():
            raise _refuse("version", _("This release exists already."), 409)
        release = Release.objects.create(
            contract=contract, name=name.strip()[:120], version=version.strip()[:40], notes=notes, created_by=actor
        )
        record(
            release, type=ReleaseHistory.CREATED, actor=actor, data={"name": release.name, "version": release.version}
        )
    return release


def add_to_release(release: Release, change: Change, *, actor: User) -> Change:
    if not can_manage_release(actor, release):
        raise PermissionDenied(_("You may not change this release."))
    if change.contract_id != release.contract_id:
        raise _refuse("change", _("The change belongs to another contract."))
    with transaction.atomic():
        locked = _locked(change)
        if locked.release_id == release.pk:
            raise _refuse("change", _("The change is in this release already."), 409)
        locked.release = release
        locked.save(update_fields=["release", "updated_at"])
        record(release, type=ReleaseHistory.CHANGE_ADDED, actor=actor, data={"change": locked.number})
    return locked


def set_release_notes(release: Release, *, actor: User, notes: str) -> Release:
    if not can_manage_release(actor, release):
        raise PermissionDenied(_("You may not change this release."))
    with transaction.atomic():
        release.notes = notes
        release.save(update_fields=["notes"])
        record(release, type=ReleaseHistory.NOTES, actor=actor, data={"text": notes})
    return release


def deploy(release: Release, *, actor: User, environment: str, succeeded: bool = True, notes: str = "") -> Deployment:
    """Record a deployment of the release to an environment; production only after an earlier environment
    took it successfully."""
    if not can_manage_release(actor, release):
        raise PermissionDenied(_("You may not deploy this release."))
    if environment not in Environment.values:
        raise _refuse("environment", _("Choose one of: %(choices)s.") % {"choices": ", ".join(Environment.values)})
    with transaction.atomic():
        if (
            environment == Environment.PRODUCTION
            and not release.deployments.filter(succeeded=True).exclude(environment=Environment.PRODUCTION).exists()
        ):
            raise _refuse("environment", _("Deploy to a test or staging environment before production."), 409)
        deployment = Deployment.objects.create(
            release=release,
            environment=environment,
            deployed_at=timezone.now(),
            deployed_by=actor,
            succeeded=succeeded,
            notes=notes,
        )
        record(
            release,
            type=ReleaseHistory.DEPLOYED,
            actor=actor,
            data={"environment": environment, "succeeded": succeeded, "text": notes},
        )
    return deployment


def who_decides(change: Change) -> list[User]:
    return list(User.objects.filter(pk__in=change.board).order_by("full_name"))
