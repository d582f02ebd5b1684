"""Change and release pages: the changes, one change with its impact, conflicts, freezes, decisions and
history, the forms of each step, the change calendar (week and month), and the releases.

Each page declares its permission beside it; a change or release one may not see is not found (404).
"""

import calendar as month_calendar
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.changes import actions, planning
from servicepact.changes.forms import (
    AddChangeForm,
    ChangeForm,
    DecisionForm,
    DeployForm,
    FinishForm,
    LinkTicketForm,
    ReleaseForm,
    ReviewForm,
    TaskForm,
)
from servicepact.changes.models import (
    Approval,
    Change,
    ChangeStatus,
    ChangeTask,
    ChangeTicket,
    Deployment,
    Release,
    StandardChange,
)
from servicepact.cmdb.models import ConfigurationItem
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.history.queries import history_of
from servicepact.permissions.changes import (
    can_decide,
    can_edit_change,
    can_implement,
    can_manage_release,
    can_request_change,
    reads_changes,
    requests_changes_somewhere,
)
from servicepact.permissions.declared import object_view, person_view
from servicepact.problems.models import Problem
from servicepact.refusals import ActionRefused

READ = ("GET", "HEAD")


def visible_change(request: HttpRequest, change_id: int) -> Change:
    changes = Change.objects.visible_to(request.user).select_related("contract", "requested_by", "release")
    return get_object_or_404(changes, pk=change_id)


def visible_release(request: HttpRequest, release_id: int) -> Release:
    return get_object_or_404(Release.objects.visible_to(request.user).select_related("contract"), pk=release_id)


change_view = object_view(visible_change, "change_id")
release_view = object_view(visible_release, "release_id")


def requestable_contracts(request: HttpRequest):
    contracts = Contract.objects.visible_to(request.user)
    allowed = [contract.pk for contract in contracts if can_request_change(request.user, contract)]
    return Contract.objects.visible_to(request.user).filter(pk__in=allowed).order_by("slug")


def viewer_zone(request: HttpRequest) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(getattr(request.user, "timezone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def decided(user, change: Change) -> bool:
    return Approval.objects.visible_to(user).filter(change=change, approver=user).exists()


@person_view(reads_changes)
def change_list(request: HttpRequest) -> HttpResponse:
    changes = Change.objects.visible_to(request.user).select_related("contract", "requested_by")
    status = request.GET.get("status", "")
    if status in ChangeStatus.values:
        changes = changes.filter(status=status)
    return render(
        request,
        "changes/change_list.html",
        {
            "changes": changes.order_by("-planned_start")[:300],
            "statuses": ChangeStatus.choices,
            "chosen_status": status,
            "may_request": requests_changes_somewhere(request.user),
            "awaiting_me": [
                change
                for change in Change.objects.visible_to(request.user).filter(status=ChangeStatus.AWAITING_APPROVAL)
                if can_decide(request.user, change) and not decided(request.user, change)
            ],
        },
    )


@person_view(requests_changes_somewhere, methods=("GET", "HEAD", "POST"))
def new_change(request: HttpRequest) -> HttpResponse:
    contracts = requestable_contracts(request)
    templates = StandardChange.objects.visible_to(request.user).filter(contract__in=contracts)
    form = ChangeForm(request.POST or None, contracts=contracts, templates=templates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            keys = form.item_keys()
            items = list(
                ConfigurationItem.objects.visible_to(request.user).filter(contract=data["contract"], key__in=keys)
            )
            missing = sorted(set(keys) - {item.key for item in items})
            if missing:
                form.add_error("items", _("No item %(keys)s in this contract.") % {"keys": ", ".join(missing)})
            else:
                try:
                    change = actions.raise_change(
                        data["contract"],
                        actor=request.user,
                        kind=data["kind"],
                        title=data["title"],
                        items=items,
                        planned_start=data["planned_start"],
                        planned_end=data["planned_end"],
                        description=data["description"],
                        implementation_plan=data["implementation_plan"],
                        backout_plan=data["backout_plan"],
                        template=data["template"],
                    )
                    return redirect(change)
                except ActionRefused as refused:
                    for field, found in refused.errors.items():
                        form.add_error(field if field in form.fields else None, found)
        status = 422
    return render(request, "changes/change_form.html", {"form": form}, status=status)


def change_context(request: HttpRequest, change: Change, **forms) -> dict:
    services = {service["key"] for service in change.impact.get("services", [])}
    return {
        "change": change,
        "items": change.items.visible_to(request.user),
        "conflicts": planning.conflicts_of(change, request.user),
        "freezes": planning.freezes_met(change, services),
        "approvals": Approval.objects.visible_to(request.user).filter(change=change).select_related("approver"),
        "board": actions.who_decides(change),
        "tasks": ChangeTask.objects.visible_to(request.user).filter(change=change).select_related("done_by"),
        "tickets": ChangeTicket.objects.visible_to(request.user).filter(change=change).select_related("ticket"),
        "problems": Problem.objects.visible_to(request.user).filter(fixing_change=change),
        "history": history_of(change, request.user),
        "may_edit": can_edit_change(request.user, change),
        "may_decide": can_decide(request.user, change)
        and change.status == ChangeStatus.AWAITING_APPROVAL
        and not decided(request.user, change),
        "may_implement": can_implement(request.user, change),
        "decision_form": forms.get("decision_form") or DecisionForm(prefix="decide"),
        "finish_form": forms.get("finish_form") or FinishForm(prefix="finish"),
        "review_form": forms.get("review_form") or ReviewForm(prefix="review"),
        "task_form": forms.get("task_form") or TaskForm(prefix="task"),
        "link_form": forms.get("link_form") or LinkTicketForm(prefix="link"),
        "zone": viewer_zone(request),
    }


@change_view(methods=READ)
def change_detail(request: HttpRequest, change: Change) -> HttpResponse:
    return render(request, "changes/change.html", change_context(request, change))


def _step(request: HttpRequest, change: Change, run, form_name: str | None = None, form=None) -> HttpResponse:
    """Run one step; a refusal by the rules shows the change again with the message (422)."""
    try:
        run()
    except ActionRefused as refused:
        messages.error(request, refused.message)
        extra = {form_name: form} if form_name else {}
        return render(request, "changes/change.html", change_context(request, change, **extra), status=422)
    return redirect(change)


def edits_change(user, change) -> bool:
    return can_edit_change(user, change)


def decides_change(user, change) -> bool:
    return can_decide(user, change)


def implements_change(user, change) -> bool:
    return can_implement(user, change)


def reviews_change(user, change) -> bool:
    return can_edit_change(user, change) or can_implement(user, change)


@change_view(edits_change)
def submit(request: HttpRequest, change: Change) -> HttpResponse:
    return _step(request, change, lambda: actions.submit(change, actor=request.user))


@change_view(decides_change)
def decide(request: HttpRequest, change: Change) -> HttpResponse:
    form = DecisionForm(request.POST, prefix="decide")
    if not form.is_valid():
        return render(request, "changes/change.html", change_context(request, change, decision_form=form), status=422)
    data = form.cleaned_data
    return _step(
        request,
        change,
        lambda: actions.decide(
            change, actor=request.user, approve=data["decision"] == "approve", comment=data["comment"]
        ),
        "decision_form",
        form,
    )


@change_view(implements_change)
def start(request: HttpRequest, change: Change) -> HttpResponse:
    return _step(request, change, lambda: actions.start(change, actor=request.user))


@change_view(implements_change)
def finish(request: HttpRequest, change: Change) -> HttpResponse:
    form = FinishForm(request.POST, prefix="finish")
    if not form.is_valid():
        return render(request, "changes/change.html", change_context(request, change, finish_form=form), status=422)
    data = form.cleaned_data
    return _step(
        request, change, lambda: actions.finish(change, actor=request.user, outcome=data["outcome"], text=data["text"])
    )


@change_view(reviews_change)
def review(request: HttpRequest, change: Change) -> HttpResponse:
    form = ReviewForm(request.POST, prefix="review")
    if not form.is_valid():
        return render(request, "changes/change.html", change_context(request, change, review_form=form), status=422)
    return _step(request, change, lambda: actions.review(change, actor=request.user, text=form.cleaned_data["review"]))


@change_view(edits_change)
def cancel(request: HttpRequest, change: Change) -> HttpResponse:
    return _step(
        request, change, lambda: actions.cancel(change, actor=request.user, reason=request.POST.get("reason", ""))
    )


@change_view(reviews_change)
def add_task(request: HttpRequest, change: Change) -> HttpResponse:
    form = TaskForm(request.POST, prefix="task")
    if not form.is_valid():
        return render(request, "changes/change.html", change_context(request, change, task_form=form), status=422)
    return _step(
        request, change, lambda: actions.add_task(change, actor=request.user, title=form.cleaned_data["title"])
    )


@change_view(implements_change)
def complete_task(request: HttpRequest, change: Change, task_id: int) -> HttpResponse:
    task = get_object_or_404(ChangeTask.objects.visible_to(request.user), change=change, pk=task_id)
    return _step(request, change, lambda: actions.complete_task(task, actor=request.user))


@change_view(edits_change)
def link_ticket(request: HttpRequest, change: Change) -> HttpResponse:
    form = LinkTicketForm(request.POST, prefix="link")
    if not form.is_valid():
        return render(request, "changes/change.html", change_context(request, change, link_form=form), status=422)
    ticket = Ticket.objects.visible_to(request.user).filter(number=form.cleaned_data["ticket"]).first()

    def run():
        if ticket is None:
            raise ActionRefused(_("No ticket %(number)s.") % {"number": form.cleaned_data["ticket"]})
        actions.link_ticket(change, ticket, actor=request.user, relation=form.cleaned_data["relation"])

    return _step(request, change, run, "link_form", form)


@person_view(reads_changes)
def calendar(request: HttpRequest) -> HttpResponse:
    """The change calendar: a week (default) or a month, in the viewer's time zone."""
    zone = viewer_zone(request)
    today = timezone.now().astimezone(zone).date()
    try:
        anchor = date.fromisoformat(request.GET.get("date", "")) if request.GET.get("date") else today
    except ValueError:
        anchor = today
    view = "month" if request.GET.get("view") == "month" else "week"
    if view == "month":
        first = anchor.replace(day=1)
        last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
        start_day = first - timedelta(days=first.weekday())
        end_day = last + timedelta(days=6 - last.weekday())
        previous, following = (first - timedelta(days=1)).replace(day=1), last + timedelta(days=1)
    else:
        start_day = anchor - timedelta(days=anchor.weekday())
        end_day = start_day + timedelta(days=6)
        previous, following = start_day - timedelta(days=7), start_day + timedelta(days=7)
    begin = datetime.combine(start_day, time.min, tzinfo=zone)
    end = datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=zone)
    changes = (
        Change.objects.visible_to(request.user)
        .filter(planned_start__lt=end, planned_end__gt=begin)
        .exclude(status=ChangeStatus.CANCELLED)
        .select_related("contract")
        .order_by("planned_start")
    )
    freezes = [
        (contract.slug, freeze)
        for contract in Contract.objects.visible_to(request.user)
        for freeze in planning.terms(contract, begin)[0].freezes
        if freeze.start <= end_day and freeze.end >= start_day
    ]
    days = []
    day = start_day
    while day <= end_day:
        day_begin = datetime.combine(day, time.min, tzinfo=zone)
        day_end = day_begin + timedelta(days=1)
        days.append(
            {
                "date": day,
                "outside": view == "month" and day.month != anchor.month,
                "changes": [c for c in changes if c.planned_start < day_end and c.planned_end > day_begin],
                "freezes": [(slug, f) for slug, f in freezes if f.start <= day <= f.end],
            }
        )
        day += timedelta(days=1)
    return render(
        request,
        "changes/calendar.html",
        {"days": days, "view": view, "anchor": anchor, "previous": previous, "following": following, "zone": zone},
    )


@person_view(reads_changes)
def release_list(request: HttpRequest) -> HttpResponse:
    releases = Release.objects.visible_to(request.user).select_related("contract").prefetch_related("deployments")
    return render(
        request,
        "changes/release_list.html",
        {"releases": releases[:200], "may_request": requests_changes_somewhere(request.user)},
    )


@person_view(requests_changes_somewhere, methods=("GET", "HEAD", "POST"))
def new_release(request: HttpRequest) -> HttpResponse:
    form = ReleaseForm(request.POST or None, contracts=requestable_contracts(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                release = actions.create_release(
                    data["contract"],
                    actor=request.user,
                    name=data["name"],
                    version=data["version"],
                    notes=data["notes"],
                )
                return redirect(release)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
        status = 422
    return render(request, "changes/release_form.html", {"form": form}, status=status)


def release_context(request: HttpRequest, release: Release, **forms) -> dict:
    return {
        "release": release,
        "changes": Change.objects.visible_to(request.user).filter(release=release),
        "deployments": Deployment.objects.visible_to(request.user)
        .filter(release=release)
        .select_related("deployed_by"),
        "history": history_of(release, request.user),
        "may_manage": can_manage_release(request.user, release),
        "deploy_form": forms.get("deploy_form") or DeployForm(prefix="deploy"),
        "add_form": forms.get("add_form") or AddChangeForm(prefix="add"),
    }


@release_view(methods=READ)
def release_detail(request: HttpRequest, release: Release) -> HttpResponse:
    return render(request, "changes/release.html", release_context(request, release))


def manages_release(user, release) -> bool:
    return can_manage_release(user, release)


@release_view(manages_release)
def deploy(request: HttpRequest, release: Release) -> HttpResponse:
    form = DeployForm(request.POST, prefix="deploy")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.deploy(
                release,
                actor=request.user,
                environment=data["environment"],
                succeeded=data["succeeded"],
                notes=data["notes"],
            )
            return redirect(release)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
    return render(request, "changes/release.html", release_context(request, release, deploy_form=form), status=422)


@release_view(manages_release)
def add_change(request: HttpRequest, release: Release) -> HttpResponse:
    form = AddChangeForm(request.POST, prefix="add")
    if form.is_valid():
        change = Change.objects.visible_to(request.user).filter(pk=form.cleaned_data["change"]).first()
        try:
            if change is None:
                raise ActionRefused(_("No such change."))
            actions.add_to_release(release, change, actor=request.user)
            return redirect(release)
        except (ActionRefused, PermissionDenied) as refused:
            form.add_error(None, getattr(refused, "message", str(refused)))
    return render(request, "changes/release.html", release_context(request, release, add_form=form), status=422)
