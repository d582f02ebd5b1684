"""Every write of the request catalogue: submitting a request, the manager's decision, ticking tasks off,
resolving a fulfilled request, and the check of an item's terms when it is kept.

A request is a ticket: it is opened by the desk's own create action (``create_ticket``) and every later
change of the ticket goes through the desk's ticket write (``ticket_write``), which locks the row, chains
the events and refreshes the clocks. The catalogue adds only what the desk does not know: the answers,
the approval and the tasks.
"""

import datetime as dt
import re
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.accounts.models import Team, User
from servicepact.catalog.models import (
    Approval,
    CatalogItem,
    FieldKind,
    ItemField,
    ItemTask,
    RequestTask,
    ServiceRequest,
    TaskOrder,
)
from servicepact.contracts.actions import kernel_contract, version_in_force
from servicepact.contracts.models import Category
from servicepact.desk.actions import create_ticket, resolve_ticket
from servicepact.desk.actions.assignment import move_to_team
from servicepact.desk.actions.notices import tell
from servicepact.desk.actions.recording import append, instant, refuse, ticket_write
from servicepact.desk.models import EventType, Kind, Status, Ticket
from servicepact.desk.transitions import check_transition
from servicepact.permissions.catalog import (
    can_ask,
    can_decide_request,
    can_fulfil_request,
    can_tick_task,
    keeps_catalog,
)
from servicepact.refusals import ActionRefused

TEXT_MAX = 2000
REASON_MAX = 2000
YES, NO = "yes", "no"
# The cell of the matrix a fixed priority is recorded with: the mildest impact first, then urgency.
LEVELS = ("low", "medium", "high")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# -- an item's terms -----------------------------------------------------------------------------------------


def item_problems(item: CatalogItem) -> dict[str, list[str]]:
    """What is wrong with an item's terms against its contract: service, category, priority, team."""
    errors: dict[str, list[str]] = {}
    contract = item.contract
    if item.service_id and item.service.contract_id != contract.pk:
        errors["service"] = [
            _("Service %(service)s is not part of contract %(contract)s.")
            % {"service": item.service.key, "contract": contract.slug}
        ]
    if item.category:
        known = set(Category.objects.filter(contract=contract).values_list("key", flat=True))
        if item.category not in known:
            errors["category"] = [
                _("Category %(value)r is not one of contract %(contract)s's: %(allowed)s.")
                % {"value": item.category, "contract": contract.slug, "allowed": ", ".join(sorted(known)) or "-"}
            ]
    try:
        terms = kernel_contract(version_in_force(contract, instant(None)))
    except ActionRefused as refusal:
        errors["priority"] = [refusal.message]
    else:
        if item.priority not in terms.priorities:
            errors["priority"] = [
                _("Priority %(value)r is not one of the contract's: %(allowed)s.")
                % {"value": item.priority, "allowed": ", ".join(terms.priorities)}
            ]
    if item.team_id and item.team.organization_id not in _party_ids(contract):
        errors["team"] = [
            _("Team %(team)s works for no party of contract %(contract)s.")
            % {"team": item.team.slug, "contract": contract.slug}
        ]
    return errors


def _party_ids(contract) -> set[int]:
    return {contract.customer_id, contract.provider_id, *contract.vendors.values_list("pk", flat=True)}


def matrix_cell(matrix: dict[str, dict[str, str]], priority: str) -> tuple[str, str] | None:
    """The (impact, urgency) the contract's matrix gives ``priority`` at, mildest first; None if none."""
    for impact in LEVELS:
        for urgency in LEVELS:
            if matrix.get(impact, {}).get(urgency) == priority:
                return impact, urgency
    return None


# -- answers -------------------------------------------------------------------------------------------------


def check_answers(item: CatalogItem, given: dict, fields: list[ItemField] | None = None) -> list[dict]:
    """The item's answers as kept, from ``given`` (field id to value); refused with an error per field,
    each naming the field, when one is missing or invalid, or when an unknown field is given."""
    fields = list(item.fields.all()) if fields is None else fields
    known = {field.key for field in fields}
    errors: dict[str, list[str]] = {}
    for key in sorted(set(given) - known):
        errors[key] = [_("%(field)s is not a field of this form.") % {"field": key}]
    answers = []
    for field in fields:
        value, problem = _answer(item, field, given.get(field.key))
        if problem:
            errors[field.key] = [problem]
        elif value != "":
            answers.append({"key": field.key, "label": field.label, "kind": field.kind, "value": value})
    if errors:
        raise ActionRefused(_("The request was not sent: some fields need attention."), errors=errors)
    return answers


def _answer(item: CatalogItem, field: ItemField, raw) -> tuple[str, str | None]:
    if isinstance(raw, bool):
        raw = YES if raw else NO
    value = "" if raw is None else str(raw).strip()
    label = field.label
    if not value:
        return "", (_("%(field)s is required.") % {"field": label}) if field.required else None
    if field.kind == FieldKind.TEXT and len(value) > TEXT_MAX:
        return "", _("%(field)s is longer than %(limit)d characters.") % {"field": label, "limit": TEXT_MAX}
    if field.kind == FieldKind.CHOICE and value not in field.options:
        return "", _("%(field)s: %(value)r is not one of: %(allowed)s.") % {
            "field": label,
            "value": value,
            "allowed": ", ".join(field.options),
        }
    if field.kind == FieldKind.DATE:
        try:
            if not DATE_PATTERN.match(value):
                raise ValueError(value)
            dt.date.fromisoformat(value)
        except ValueError:
            return "", _("%(field)s: %(value)r is not a date like 2026-12-31.") % {"field": label, "value": value}
    if field.kind == FieldKind.YES_NO and value.lower() not in (YES, NO):
        return "", _("%(field)s: answer yes or no.") % {"field": label}
    if field.kind == FieldKind.YES_NO:
        value = value.lower()
    if field.kind == FieldKind.PERSON:
        value = value.lower()
        try:
            validate_email(value)
        except Exception:
            return "", _("%(field)s: %(value)r is not an e-mail address.") % {"field": label, "value": value}
        known = User.objects.filter(email=value, is_active=True, organization_id=item.contract.customer_id)
        if not known.exists():
            return "", _("%(field)s: nobody of the customer has the address %(value)s.") % {
                "field": label,
                "value": value,
            }
    return value, None


def answers_text(item: CatalogItem, answers: list[dict]) -> str:
    """The answers as the ticket's description reads them."""
    lines = [_("Requested from the catalogue: %(item)s") % {"item": item.name}, ""]
    for answer in answers:
        value = answer["value"]
        if answer["kind"] == FieldKind.YES_NO:
            value = _("yes") if value == YES else _("no")
        lines.append(f"{answer['label']}: {value}")
    return "\n".join(lines)


# -- submitting ----------------------------------------------------------------------------------------------


def submit_request(item: CatalogItem, *, actor: User, answers: dict, at: datetime | None = None) -> ServiceRequest:
    """Open the request's ticket through the desk, keep the answers and tasks, and either ask the
    requester's manager for approval (the ticket waits) or send it to the item's team."""
    if not can_ask(actor, item):
        raise PermissionDenied(_("You may not ask for this item."))
    kept = check_answers(item, answers)
    approver = None
    if item.needs_approval:
        approver = actor.manager
        if approver is None or not approver.is_active or approver.organization_id != item.contract.customer_id:
            message = _(
                "This item needs your manager's approval, but the directory names no manager of yours in "
                "your organization; ask your administrator to set one, or the service desk for help."
            )
            raise ActionRefused(message, errors={"__all__": [message]}, status=409)
    at = instant(at)
    terms = kernel_contract(version_in_force(item.contract, at))
    cell = matrix_cell(terms.matrix, item.priority)
    if cell is None:
        message = _("Priority %(value)r is not one of the contract's: %(allowed)s.") % {
            "value": item.priority,
            "allowed": ", ".join(terms.priorities),
        }
        raise ActionRefused(message, errors={"__all__": [message]}, status=409)
    impact, urgency = cell
    tasks = list(item.tasks.all())
    with transaction.atomic():
        ticket = create_ticket(
            actor=actor,
            contract=item.contract,
            service=item.service,
            title=item.name,
            description=answers_text(item, kept),
            impact=impact,
            urgency=urgency,
            kind=Kind.REQUEST,
            category=item.category,
            at=at,
        )
        request = ServiceRequest.objects.create(
            ticket=ticket,
            item=item,
            answers=kept,
            approval=Approval.PENDING if approver else Approval.NOT_NEEDED,
            approver=approver,
            task_order=item.task_order,
            submitted_at=at,
        )
        RequestTask.objects.bulk_create(
            RequestTask(request=request, position=index, title=task.title, title_zh=task.title_zh, team=task.team)
            for index, task in enumerate(tasks, start=1)
        )
        with ticket_write(ticket, at) as (locked, now):
            if approver is not None:
                _ask_approval(locked, approver, actor=actor, at=now)
            else:
                _send_to_team(locked, item.team, actor=actor, at=now, reason=_("Sent by the request catalogue."))
    return request


def _ask_approval(ticket: Ticket, approver: User, *, actor: User, at: datetime) -> None:
    """The approver follows the ticket (so they see it) and is told; the ticket waits on the customer."""
    if not ticket.watchers.filter(pk=approver.pk).exists():
        append(
            ticket,
            EventType.WATCHER,
            at=at,
            actor=actor,
            public=False,
            data={"watcher": approver.email, "change": "added"},
        )
        ticket.watchers.add(approver)
    reason = _("Waiting for the approval of %(person)s.") % {"person": str(approver)}
    check_transition(ticket.status, Status.PENDING_CUSTOMER)
    append(ticket, EventType.STATUS, at=at, actor=actor, data={"status": Status.PENDING_CUSTOMER, "reason": reason})
    ticket.status = Status.PENDING_CUSTOMER
    tell(
        ticket,
        recipients=[approver],
        actor=actor,
        at=at,
        what=gettext_lazy("waiting for your approval"),
        body=_("%(person)s asks for %(item)s; approve or reject it on the ticket's page.")
        % {"person": str(actor), "item": ticket.title},
    )


def _send_to_team(ticket: Ticket, team: Team | None, *, actor: User, at: datetime, reason: str) -> None:
    """Into the item's team's queue; without one the request stays with the service desk, assigned."""
    if team is not None and team.pk != ticket.team_id:
        move_to_team(ticket, team, actor=actor, at=at, reason=reason)
    elif ticket.status != Status.ASSIGNED:
        check_transition(ticket.status, Status.ASSIGNED)
        append(ticket, EventType.STATUS, at=at, actor=actor, data={"status": Status.ASSIGNED, "reason": reason})
        ticket.status = Status.ASSIGNED


# -- the manager's decision ----------------------------------------------------------------------------------


def decide(
    request: ServiceRequest, *, actor: User, approve: bool, reason: str = "", at: datetime | None = None
) -> ServiceRequest:
    """Approve (the request goes to the item's team) or reject (it is resolved and closed, with the reason)."""
    if not can_decide_request(actor, request):
        raise PermissionDenied(_("You may not decide on this request."))
    reason = (reason or "").strip()
    if not approve and not reason:
        refuse(_("Say why the request is rejected."), "reason")
    if len(reason) > REASON_MAX:
        refuse(_("The reason is longer than %(limit)d characters.") % {"limit": REASON_MAX}, "reason")
    with ticket_write(request.ticket, at) as (ticket, at):
        locked = ServiceRequest.objects.select_for_update(of=("self",)).select_related("item__team").get(pk=request.pk)
        if locked.approval != Approval.PENDING:
            refuse(
                _("This request was decided already (%(decision)s).") % {"decision": locked.approval}, "approve", 409
            )
        who = str(actor)
        if approve:
            note = _("Approved by %(person)s.") % {"person": who}
            _send_to_team(ticket, locked.item.team, actor=actor, at=at, reason=f"{note} {reason}".strip())
            locked.approval = Approval.APPROVED
            tell(ticket, recipients=[ticket.requester], actor=actor, at=at, what=gettext_lazy("approved"), body=note)
        else:
            text = _("Rejected by %(person)s: %(reason)s") % {"person": who, "reason": reason}
            _reject(ticket, actor=actor, at=at, text=text)
            locked.approval = Approval.REJECTED
        locked.decided_at = at
        locked.decision_reason = reason
        locked.save(update_fields=["approval", "decided_at", "decision_reason"])
    request.refresh_from_db()
    return request


def _reject(ticket: Ticket, *, actor: User, at: datetime, text: str) -> None:
    """The rejection is the customer's word on the ticket: resolved with it (no response of the provider),
    then closed for good."""
    append(
        ticket, EventType.REPLIED, at=at, actor=actor, data={"body": text, "from_customer": True, "resolution": True}
    )
    check_transition(ticket.status, Status.RESOLVED)
    append(ticket, EventType.STATUS, at=at, actor=actor, data={"status": Status.RESOLVED, "reason": text})
    append(ticket, EventType.STATUS, at=at, actor=actor, data={"status": Status.CLOSED})
    ticket.status = Status.CLOSED
    ticket.resolved_at = at
    ticket.closed_at = at
    tell(ticket, recipients=[ticket.requester], actor=actor, at=at, what=gettext_lazy("rejected"), body=text)


# -- fulfilment ----------------------------------------------------------------------------------------------


def complete_task(task: RequestTask, *, actor: User, at: datetime | None = None) -> RequestTask:
    """Tick a task off; in a request done in order, only the first open task may be."""
    if not can_tick_task(actor, task):
        raise PermissionDenied(_("You may not tick this task off."))
    request = task.request
    with ticket_write(request.ticket, at) as (ticket, at):
        if ticket.status in (Status.RESOLVED, Status.CLOSED):
            refuse(_("The ticket is %(status)s; its tasks are finished.") % {"status": ticket.status}, "task", 409)
        if request.approval in (Approval.PENDING, Approval.REJECTED):
            refuse(_("The request is not approved; its tasks wait."), "task", 409)
        tasks = list(RequestTask.objects.select_for_update().filter(request=request).order_by("position"))
        current = next(row for row in tasks if row.pk == task.pk)
        if current.done_at is not None:
            refuse(_("Task %(task)s is done already.") % {"task": current.title}, "task", 409)
        if request.task_order == TaskOrder.SEQUENCE:
            earlier = [row for row in tasks if row.position < current.position and row.done_at is None]
            if earlier:
                refuse(
                    _("Task %(task)s comes first: the tasks of this request are done in order.")
                    % {"task": earlier[0].title},
                    "task",
                    409,
                )
        current.done_at = at
        current.done_by = actor
        current.save(update_fields=["done_at", "done_by"])
        append(
            ticket,
            EventType.NOTE,
            at=at,
            actor=actor,
            public=False,
            data={"body": _("Fulfilment task done: %(task)s") % {"task": current.title}},
        )
    task.refresh_from_db()
    return task


def open_tasks(request: ServiceRequest) -> list[RequestTask]:
    return list(request.tasks.filter(done_at__isnull=True).order_by("position"))


def resolve_request(
    request: ServiceRequest, *, actor: User, resolution: str, at: datetime | None = None
) -> ServiceRequest:
    """Resolve the request's ticket through the desk, which refuses while a task is open."""
    if not can_fulfil_request(actor, request):
        raise PermissionDenied(_("You may not resolve this request."))
    resolve_ticket(request.ticket, actor=actor, resolution=resolution, at=at)
    return request


# -- keeping the catalogue -----------------------------------------------------------------------------------

ITEM_TERMS = (
    "key",
    "name",
    "name_zh",
    "description",
    "description_zh",
    "category",
    "priority",
    "needs_approval",
    "task_order",
    "active",
)


def keep_item(
    contract,
    *,
    actor: User,
    item: CatalogItem | None,
    terms: dict,
    service,
    team: Team | None,
    fields: list[dict],
    tasks: list[dict],
) -> CatalogItem:
    """Write an item's terms and replace its form's fields and its tasks; requests already submitted keep
    the answers and tasks they were given."""
    if not keeps_catalog(actor, contract):
        raise PermissionDenied(_("You may not keep this contract's catalogue."))
    item = item or CatalogItem(contract=contract)
    for name in ITEM_TERMS:
        setattr(item, name, terms[name])
    item.service, item.team = service, team
    errors = item_problems(item)
    clash = CatalogItem.objects.filter(contract=contract, key=item.key).exclude(pk=item.pk)
    if clash.exists():
        errors["key"] = [_("Another item of this contract has the id %(key)s.") % {"key": item.key}]
    keys = [field["key"] for field in fields]
    doubled = sorted({key for key in keys if keys.count(key) > 1})
    if doubled:
        errors["fields_text"] = [_("Field ids appear twice: %(keys)s.") % {"keys": ", ".join(doubled)}]
    if errors:
        raise ActionRefused(_("The item was not saved: some fields need attention."), errors=errors)
    teams = {team.slug: team for team in Team.objects.filter(organization_id__in=_party_ids(contract))}
    with transaction.atomic():
        item.save()
        item.fields.all().delete()
        item.tasks.all().delete()
        ItemField.objects.bulk_create(
            ItemField(item=item, position=index, **field) for index, field in enumerate(fields)
        )
        ItemTask.objects.bulk_create(
            ItemTask(
                item=item,
                position=index,
                title=task["title"],
                title_zh=task["title_zh"],
                team=teams.get(task["team"]) or team,
            )
            for index, task in enumerate(tasks, start=1)
        )
    return item
