"""Change and release management in the API: requests for change through their life (raise, submit,
decide, implement, review), their conflicts and freezes, tasks and incidents, and releases with their
deployments. Who may do what is declared beside each operation (servicepact/permissions/changes.py)."""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from servicepact.changes import actions, planning
from servicepact.changes.models import (
    Approval,
    Change,
    ChangeKind,
    ChangeTask,
    Environment,
    LinkRelation,
    Outcome,
    Release,
    StandardChange,
)
from servicepact.cmdb.models import ConfigurationItem
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.idempotency.keys import idempotent
from servicepact.permissions.changes import (
    can_decide,
    can_edit_change,
    can_implement,
    can_manage_release,
    can_request_change,
)
from servicepact.permissions.declared import allow, holds_a_role, on_object
from servicepact.problems.models import Problem
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema

router = Router(tags=["changes"])


class ChangeRequestOut(Schema):
    id: int
    number: str
    contract: str = Field(..., alias="contract.slug")
    kind: str
    title: str
    description: str
    status: str
    risk: str
    impact: dict
    planned_start: datetime
    planned_end: datetime
    implementation_plan: str
    backout_plan: str
    rule: str = Field(..., description='"all" or "any" of the board, frozen at submission.')
    in_freeze: bool
    outcome: str
    review: str
    items: list[str]
    release: int | None = Field(None, alias="release_id")

    @staticmethod
    def resolve_items(change, context):
        return sorted(change.items.visible_to(context["request"].auth).values_list("key", flat=True))


class ConflictOut(Schema):
    change: str
    reason: str
    items: list[str]


class ApprovalOut(Schema):
    approver: str = Field(..., alias="approver.email")
    decision: str
    comment: str
    at: datetime


class ChangeDetailOut(ChangeRequestOut):
    conflicts: list[ConflictOut]
    freezes: list[dict]
    approvals: list[ApprovalOut]
    problems: list[str] = Field(..., description="The problems this change is to fix (problem management).")

    @staticmethod
    def resolve_problems(change, context):
        problems = Problem.objects.visible_to(context["request"].auth).filter(fixing_change=change)
        return [problem.number for problem in problems]

    @staticmethod
    def resolve_approvals(change, context):
        return list(
            Approval.objects.visible_to(context["request"].auth).filter(change=change).select_related("approver")
        )


class ChangeIn(InputSchema):
    kind: ChangeKind = ChangeKind.NORMAL
    template: str | None = Field(None, description="A standard change template's id (for kind standard).")
    title: str = ""
    description: str = ""
    items: list[str] = Field(..., description="Ids (keys) of the configuration items changed.")
    planned_start: datetime
    planned_end: datetime
    implementation_plan: str = ""
    backout_plan: str = ""


class DecisionIn(InputSchema):
    approve: bool
    comment: str


class FinishIn(InputSchema):
    outcome: Outcome
    text: str = ""


class TextIn(InputSchema):
    text: str


class TaskIn(InputSchema):
    title: str


class LinkIn(InputSchema):
    ticket: str
    relation: LinkRelation


class ReleaseIn(InputSchema):
    name: str
    version: str
    notes: str = ""


class ReleaseOut(Schema):
    id: int
    contract: str = Field(..., alias="contract.slug")
    name: str
    version: str
    notes: str
    changes: list[str]
    deployments: list[dict]

    @staticmethod
    def resolve_changes(release, context):
        return [change.number for change in release.changes.visible_to(context["request"].auth)]

    @staticmethod
    def resolve_deployments(release, context):
        return [
            {"environment": d.environment, "deployed_at": d.deployed_at.isoformat(), "succeeded": d.succeeded}
            for d in release.deployments.visible_to(context["request"].auth)
        ]


class DeployIn(InputSchema):
    environment: Environment
    succeeded: bool = True
    notes: str = ""


class AddChangeIn(InputSchema):
    change: int


def _id(value: str, what: str) -> int:
    if not str(value).isascii() or not str(value).isdigit() or len(str(value)) > 18:
        raise Http404(f"No such {what}.")
    return int(value)


def visible_change(request: HttpRequest, change_id: str) -> Change:
    changes = Change.objects.visible_to(request.auth).select_related("contract").prefetch_related("items")
    return get_object_or_404(changes, pk=_id(change_id, "change"))


def visible_release(request: HttpRequest, release_id: str) -> Release:
    return get_object_or_404(
        Release.objects.visible_to(request.auth).select_related("contract"), pk=_id(release_id, "release")
    )


def reviews_change(user, change) -> bool:
    return can_edit_change(user, change) or can_implement(user, change)


def detail(request: HttpRequest, change: Change) -> Change:
    """The change with what the board weighs: its conflicts and the freezes its window meets."""
    services = {service["key"] for service in change.impact.get("services", [])}
    change.conflicts = [
        {"change": c.change.number, "reason": c.reason, "items": c.items}
        for c in planning.conflicts_of(change, request.auth)
    ]
    change.freezes = [
        {"from": f.start.isoformat(), "to": f.end.isoformat(), "reason": f.reason}
        for f in planning.freezes_met(change, services)
    ]
    return change


@router.get("/changes", response=list[ChangeRequestOut], summary="Changes you may read", operation_id="list_changes")
@allow(holds_a_role, "Anyone with a role; the list holds the changes of the contracts whose CMDB they read.")
def list_changes(request: HttpRequest, status: str = "", contract: str = ""):
    changes = Change.objects.visible_to(request.auth).select_related("contract").prefetch_related("items")
    if status:
        changes = changes.filter(status=status)
    if contract:
        changes = changes.filter(contract__slug=contract)
    return changes[:500]


@router.get(
    "/changes/{change_id}",
    response=ChangeDetailOut,
    summary="A change, with its conflicts and freezes",
    operation_id="get_change",
)
@on_object("change_id", "change", visible_change, None, "Those who see the change.")
def get_change(request: HttpRequest, change: Change):
    return detail(request, change)


@router.post(
    "/contracts/{slug}/changes",
    response={201: ChangeDetailOut},
    summary="Request a change",
    operation_id="create_change",
)
@on_object(
    "slug",
    "contract",
    visible_contract,
    can_request_change,
    "The customer's and provider's staff and the customer's managers.",
)
@idempotent
def create_change(request: HttpRequest, contract: Contract, body: ChangeIn):
    items = list(ConfigurationItem.objects.visible_to(request.auth).filter(contract=contract, key__in=body.items))
    missing = sorted(set(body.items) - {item.key for item in items})
    if missing:
        raise ActionRefused(
            f"No item {', '.join(missing)} in this contract.", errors={"items": [f"No item {missing[0]}."]}
        )
    template = None
    if body.template:
        template = StandardChange.objects.visible_to(request.auth).filter(contract=contract, key=body.template).first()
        if template is None:
            raise ActionRefused(f"No template {body.template}.", errors={"template": ["No such template."]})
    change = actions.raise_change(
        contract,
        actor=request.auth,
        kind=str(body.kind),
        title=body.title,
        items=items,
        planned_start=body.planned_start,
        planned_end=body.planned_end,
        description=body.description,
        implementation_plan=body.implementation_plan,
        backout_plan=body.backout_plan,
        template=template,
    )
    return Status(201, detail(request, change))


@router.post(
    "/changes/{change_id}/submit",
    response=ChangeDetailOut,
    summary="Submit a draft for approval",
    operation_id="submit_change",
)
@on_object(
    "change_id",
    "change",
    visible_change,
    can_edit_change,
    "The customer's and provider's staff and the customer's managers.",
)
def submit_change(request: HttpRequest, change: Change):
    return detail(request, actions.submit(change, actor=request.auth))


@router.post(
    "/changes/{change_id}/decision",
    response=ChangeDetailOut,
    summary="Approve or reject, with a comment",
    operation_id="decide_change",
)
@on_object(
    "change_id",
    "change",
    visible_change,
    can_decide,
    "The members of the change advisory board frozen onto the change.",
)
def decide_change(request: HttpRequest, change: Change, body: DecisionIn):
    return detail(request, actions.decide(change, actor=request.auth, approve=body.approve, comment=body.comment))


@router.post(
    "/changes/{change_id}/start",
    response=ChangeDetailOut,
    summary="Start implementing an approved change",
    operation_id="start_change",
)
@on_object(
    "change_id",
    "change",
    visible_change,
    can_implement,
    "The implementers the contract names, or the provider's staff.",
)
def start_change(request: HttpRequest, change: Change):
    return detail(request, actions.start(change, actor=request.auth))


@router.post(
    "/changes/{change_id}/finish", response=ChangeDetailOut, summary="Record the outcome", operation_id="finish_change"
)
@on_object(
    "change_id",
    "change",
    visible_change,
    can_implement,
    "The implementers the contract names, or the provider's staff.",
)
def finish_change(request: HttpRequest, change: Change, body: FinishIn):
    return detail(request, actions.finish(change, actor=request.auth, outcome=str(body.outcome), text=body.text))


@router.post(
    "/changes/{change_id}/review",
    response=ChangeDetailOut,
    summary="Close with the post-implementation review",
    operation_id="review_change",
)
@on_object("change_id", "change", visible_change, reviews_change, "Those who raise changes, and the implementers.")
def review_change(request: HttpRequest, change: Change, body: TextIn):
    return detail(request, actions.review(change, actor=request.auth, text=body.text))


@router.post(
    "/changes/{change_id}/cancel", response=ChangeDetailOut, summary="Cancel a change", operation_id="cancel_change"
)
@on_object(
    "change_id",
    "change",
    visible_change,
    can_edit_change,
    "The customer's and provider's staff and the customer's managers.",
)
def cancel_change(request: HttpRequest, change: Change, body: TextIn):
    return detail(request, actions.cancel(change, actor=request.auth, reason=body.text))


@router.post("/changes/{change_id}/tasks", response={201: dict}, summary="Add a task", operation_id="add_change_task")
@on_object("change_id", "change", visible_change, reviews_change, "Those who raise changes, and the implementers.")
@idempotent
def add_task(request: HttpRequest, change: Change, body: TaskIn):
    task = actions.add_task(change, actor=request.auth, title=body.title)
    return Status(201, {"id": task.pk, "title": task.title})


@router.post(
    "/changes/{change_id}/tasks/{task_id}/done",
    response=dict,
    summary="Mark a task done",
    operation_id="complete_change_task",
)
@on_object(
    "change_id",
    "change",
    visible_change,
    can_implement,
    "The implementers the contract names, or the provider's staff.",
)
def complete_task(request: HttpRequest, change: Change, task_id: int):
    task = get_object_or_404(ChangeTask.objects.visible_to(request.auth), change=change, pk=task_id)
    task = actions.complete_task(task, actor=request.auth)
    return {"id": task.pk, "title": task.title, "done_at": task.done_at.isoformat()}


@router.post(
    "/changes/{change_id}/tickets",
    response={201: dict},
    summary="Link an incident the change caused or fixes",
    operation_id="link_change_ticket",
)
@on_object(
    "change_id",
    "change",
    visible_change,
    can_edit_change,
    "The customer's and provider's staff and the customer's managers.",
)
@idempotent
def link_ticket(request: HttpRequest, change: Change, body: LinkIn):
    ticket = Ticket.objects.visible_to(request.auth).filter(number=body.ticket).first()
    if ticket is None:
        raise ActionRefused(f"No ticket {body.ticket}.", errors={"ticket": ["No such ticket."]})
    link = actions.link_ticket(change, ticket, actor=request.auth, relation=str(body.relation))
    return Status(201, {"ticket": ticket.number, "relation": link.relation})


@router.get("/releases", response=list[ReleaseOut], summary="Releases you may read", operation_id="list_releases")
@allow(holds_a_role, "Anyone with a role; the list holds the releases of the contracts whose CMDB they read.")
def list_releases(request: HttpRequest):
    return Release.objects.visible_to(request.auth).select_related("contract")[:200]


@router.get("/releases/{release_id}", response=ReleaseOut, summary="A release", operation_id="get_release")
@on_object("release_id", "release", visible_release, None, "Those who see the release.")
def get_release(request: HttpRequest, release: Release):
    return release


@router.post(
    "/contracts/{slug}/releases", response={201: ReleaseOut}, summary="Create a release", operation_id="create_release"
)
@on_object(
    "slug",
    "contract",
    visible_contract,
    can_request_change,
    "The customer's and provider's staff and the customer's managers.",
)
@idempotent
def create_release(request: HttpRequest, contract: Contract, body: ReleaseIn):
    return Status(
        201,
        actions.create_release(contract, actor=request.auth, name=body.name, version=body.version, notes=body.notes),
    )


@router.post(
    "/releases/{release_id}/deployments",
    response={201: ReleaseOut},
    summary="Record a deployment",
    operation_id="deploy_release",
)
@on_object(
    "release_id",
    "release",
    visible_release,
    can_manage_release,
    "The customer's and provider's staff and the customer's managers.",
)
@idempotent
def deploy_release(request: HttpRequest, release: Release, body: DeployIn):
    actions.deploy(
        release, actor=request.auth, environment=str(body.environment), succeeded=body.succeeded, notes=body.notes
    )
    return Status(201, release)


@router.post(
    "/releases/{release_id}/changes",
    response={201: ReleaseOut},
    summary="Add a change to a release",
    operation_id="add_release_change",
)
@on_object(
    "release_id",
    "release",
    visible_release,
    can_manage_release,
    "The customer's and provider's staff and the customer's managers.",
)
@idempotent
def add_change(request: HttpRequest, release: Release, body: AddChangeIn):
    change = Change.objects.visible_to(request.auth).filter(pk=body.change).first()
    if change is None:
        raise ActionRefused("No such change.", errors={"change": ["No such change."]})
    actions.add_to_release(release, change, actor=request.auth)
    return Status(201, release)
