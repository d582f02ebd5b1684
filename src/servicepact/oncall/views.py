"""On-call pages: the pages one may answer, one page, a team's rotations and policy, and the mailed link.

Each page declares its permission beside it. Pages are for the staff of the paged team's organization
(``permissions.oncall``); a team's on-call planning is read by whoever sees the team and written by its
leads and its organization's administrators (``permissions.rosters``). The mailed link is open: its signed
token stands for the person it was mailed to, for one page, for a week.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from servicepact.accounts.models import Membership, Team, User
from servicepact.oncall import actions
from servicepact.oncall.forms import OverrideForm, PolicyForm, RotationForm, StartPageForm
from servicepact.oncall.links import linked_page
from servicepact.oncall.models import (
    EscalationPolicy,
    EscalationStep,
    Override,
    Page,
    PageNotice,
    Rotation,
    RotationMember,
)
from servicepact.oncall.schedule import PRIMARY, SECONDARY, on_call
from servicepact.permissions import COUNTED_MEMBERSHIPS
from servicepact.permissions.declared import object_view, open_view, person_view, sees_it
from servicepact.permissions.oncall import can_answer_page, reads_pages
from servicepact.permissions.rosters import can_plan_team
from servicepact.refusals import ActionRefused

PAGE_SIZE = 100


def add_refusal(form, refusal: ActionRefused) -> None:
    for field, problems in refusal.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def find_page(request: HttpRequest, page_id: int) -> Page:
    return get_object_or_404(Page.objects.visible_to(request.user).select_related("team", "ticket"), pk=page_id)


def find_team(request: HttpRequest, slug: str) -> Team:
    return get_object_or_404(Team.objects.visible_to(request.user).select_related("organization"), slug=slug)


page_view = object_view(find_page, "page_id")
team_view = object_view(find_team, "team_slug")


def pageable_teams(request: HttpRequest):
    return Team.objects.visible_to(request.user).filter(organization_id=request.user.organization_id).order_by("name")


@person_view(reads_pages, methods=("GET", "HEAD", "POST"))
def page_list(request: HttpRequest) -> HttpResponse:
    form = StartPageForm(request.POST or None, teams=pageable_teams(request))
    if request.method == "POST" and form.is_valid():
        try:
            page = actions.start_page(actor=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The team is paged."))
            return redirect(page.get_absolute_url())
    pages = Page.objects.visible_to(request.user).select_related("team", "ticket", "acknowledged_by")[:PAGE_SIZE]
    return render(request, "oncall/pages.html", {"pages": pages, "form": form}, status=422 if form.errors else 200)


@page_view(sees_it, methods=("GET", "HEAD"))
def page_detail(request: HttpRequest, page: Page) -> HttpResponse:
    context = {
        "page": page,
        "notices": PageNotice.objects.visible_to(request.user).filter(page=page).select_related("person"),
    }
    context["may_answer"] = can_answer_page(request.user, page)
    return render(request, "oncall/page.html", context)


def _answer(request: HttpRequest, page: Page, actor: User) -> str | None:
    """Acknowledge or resolve as the form asks; the refusal's message, if refused."""
    answer = request.POST.get("answer")
    try:
        if answer == "acknowledge":
            actions.acknowledge_page(page, actor=actor)
        elif answer == "resolve":
            actions.resolve_page(page, actor=actor)
        else:
            return _("Choose to acknowledge or to resolve the page.")
    except ActionRefused as refusal:
        return refusal.message
    return None


@page_view(can_answer_page)
def page_answer(request: HttpRequest, page: Page) -> HttpResponse:
    problem = _answer(request, page, request.user)
    if problem:
        messages.error(request, problem)
    else:
        page.refresh_from_db()
        messages.success(request, _("The page is %(status)s.") % {"status": page.get_status_display()})
    return redirect(page.get_absolute_url())


@open_view("the mailed link of a page: its signed token stands for the person it was sent to")
@require_http_methods(["GET", "HEAD", "POST"])
def page_link(request: HttpRequest, token: str) -> HttpResponse:
    page, person = linked_page(token)
    if page is None:
        raise Http404("No such link.")
    problem = done = None
    if request.method == "POST":
        try:
            problem = _answer(request, page, person)
        except PermissionDenied:
            raise Http404("No such link.") from None
        page.refresh_from_db()
        done = problem is None
    context = {"page": page, "person": person, "problem": problem, "done": done}
    return render(request, "oncall/link.html", context, status=409 if problem else 200)


def _team_people(request: HttpRequest, team: Team):
    members = Membership.objects.visible_to(request.user).filter(COUNTED_MEMBERSHIPS, team=team).values("user_id")
    return User.objects.visible_to(request.user).filter(pk__in=members, is_active=True).order_by("full_name", "email")


@team_view(sees_it, methods=("GET", "HEAD", "POST"))
def team_oncall(request: HttpRequest, team: Team) -> HttpResponse:
    editable = can_plan_team(request.user, team)
    people = _team_people(request, team)
    which = request.POST.get("form") if request.method == "POST" else None
    rotation_form = RotationForm(request.POST if which == "rotation" else None, people=people, prefix="rotation")
    override_form = OverrideForm(request.POST if which == "override" else None, people=people, prefix="override")
    policy_form = PolicyForm(request.POST if which == "policy" else None, prefix="policy")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("can_plan_team")
        done = _save(request, team, which, rotation_form, override_form, policy_form)
        if done:
            messages.success(request, done)
            return redirect("oncall:team", team.slug)
    rotations = list(Rotation.objects.visible_to(request.user).filter(team=team).order_by("layer"))
    members = {}
    rows = RotationMember.objects.visible_to(request.user).filter(rotation__in=rotations).select_related("person")
    for row in rows.order_by("position"):
        members.setdefault(row.rotation_id, []).append(row.person)
    policy = EscalationPolicy.objects.visible_to(request.user).filter(team=team).first()
    now = timezone.now()
    context = {
        "team": team,
        "editable": editable,
        "rotations": [(rotation, members.get(rotation.pk, [])) for rotation in rotations],
        "overrides": Override.objects.visible_to(request.user)
        .filter(rotation__team=team, ends_at__gt=now)
        .select_related("person", "rotation"),
        "policy": policy,
        "steps": EscalationStep.objects.visible_to(request.user).filter(policy=policy) if policy else [],
        "on_call_now": on_call(team, now, PRIMARY),
        "secondary_now": on_call(team, now, SECONDARY),
        "rotation_form": rotation_form,
        "override_form": override_form,
        "policy_form": policy_form,
    }
    failed = any(form.errors for form in (rotation_form, override_form, policy_form))
    return render(
        request,
        "oncall/team.html",
        context,
        status=422 if failed or which not in (None, "rotation", "override", "policy") else 200,
    )


def _save(request, team, which, rotation_form, override_form, policy_form) -> str | None:
    try:
        if which == "rotation" and rotation_form.is_valid():
            actions.save_rotation(actor=request.user, team=team, **rotation_form.cleaned_data)
            return _("The rotation is saved.")
        if which == "override" and override_form.is_valid():
            data = dict(override_form.cleaned_data)
            rotation = Rotation.objects.visible_to(request.user).filter(team=team, layer=data.pop("layer")).first()
            if rotation is None:
                override_form.add_error("layer", _("The team has no rotation of this layer."))
                return None
            actions.add_override(rotation, actor=request.user, **data)
            return _("The override is saved.")
        if which == "policy" and policy_form.is_valid():
            actions.save_policy(
                actor=request.user, team=team, name=policy_form.cleaned_data["name"], steps=policy_form.steps()
            )
            return _("The escalation policy is saved.")
    except ActionRefused as refusal:
        add_refusal({"rotation": rotation_form, "override": override_form, "policy": policy_form}[which], refusal)
    return None
