"""Shift pages: who is on shift where at any instant, a team's shifts and rosters, follow-the-sun rules.

Each page declares its permission beside it. Shifts are read by whoever sees the team (anyone with a role
in an organization sharing a contract with the team's); a team's leads and its organization's
administrators plan them, the team's people hand its open tickets over (``permissions.rosters``); a rule's
follow-the-sun teams are set by those who edit the contract's routing.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Membership, Team, User
from servicepact.desk.models import RoutingRule
from servicepact.permissions import COUNTED_MEMBERSHIPS
from servicepact.permissions.administration import can_edit_routing_rule
from servicepact.permissions.declared import object_view, person_view, sees_it
from servicepact.permissions.rosters import can_hand_over, can_plan_team, reads_rosters
from servicepact.refusals import ActionRefused
from servicepact.rosters import actions
from servicepact.rosters.forms import ChangeForm, HandoverForm, InstantForm, PatternForm, RosterForm, SunForm, SwapForm
from servicepact.rosters.models import RosterEntry, ShiftChange, ShiftPattern, ShiftSwap, SunTeam
from servicepact.rosters.schedule import shifts_at

FORMS = ("pattern", "change", "roster", "swap", "handover")


def add_refusal(form, refusal: ActionRefused) -> None:
    for field, problems in refusal.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def find_team(request: HttpRequest, slug: str) -> Team:
    return get_object_or_404(Team.objects.visible_to(request.user).select_related("organization"), slug=slug)


def find_rule(request: HttpRequest, rule_id: int) -> RoutingRule:
    rules = RoutingRule.objects.visible_to(request.user).select_related("contract", "service", "team")
    return get_object_or_404(rules, pk=rule_id)


team_view = object_view(find_team, "team_slug")
rule_view = object_view(find_rule, "rule_id")


@person_view(reads_rosters)
def on_shift_now(request: HttpRequest) -> HttpResponse:
    """Who is on shift where at an instant (now by default), in each team's zone and the viewer's."""
    form = InstantForm(request.GET or None)
    at = timezone.now()
    if form.is_valid() and form.cleaned_data.get("at"):
        at = form.cleaned_data["at"]
    patterns = ShiftPattern.objects.visible_to(request.user)
    shifts = sorted(shifts_at(at, patterns), key=lambda shift: (shift.team.name, shift.pattern.name))
    teams = Team.objects.visible_to(request.user).filter(pk__in=patterns.values("team_id")).order_by("name")
    return render(
        request,
        "rosters/now.html",
        {"form": form, "at": at, "shifts": shifts, "teams": teams, "rules": _sun_rules(request)},
        status=422 if form.errors else 200,
    )


def _sun_rules(request: HttpRequest) -> list[tuple[RoutingRule, list[Team], bool]]:
    """The routing rules one may give follow-the-sun teams (the provider's administrators), with their teams."""
    rules = (
        RoutingRule.objects.visible_to(request.user)
        .filter(to_requester=False)
        .select_related("contract", "service", "team")
    )
    editable = [
        rule
        for rule in rules.order_by("contract__slug", "precedence", "id")
        if can_edit_routing_rule(request.user, rule)
    ]
    rows = (
        SunTeam.objects.visible_to(request.user).filter(rule__in=editable).select_related("team").order_by("position")
    )
    teams: dict[int, list[Team]] = {}
    for row in rows:
        teams.setdefault(row.rule_id, []).append(row.team)
    return [(rule, teams.get(rule.pk, [])) for rule in editable]


def _team_people(request: HttpRequest, team: Team):
    members = Membership.objects.visible_to(request.user).filter(COUNTED_MEMBERSHIPS, team=team).values("user_id")
    return User.objects.visible_to(request.user).filter(pk__in=members, is_active=True).order_by("full_name")


@team_view(sees_it, methods=("GET", "HEAD", "POST"))
def team_shifts(request: HttpRequest, team: Team) -> HttpResponse:
    user = request.user
    patterns = ShiftPattern.objects.visible_to(user).filter(team=team)
    people = _team_people(request, team)
    which = request.POST.get("form") if request.method == "POST" else None
    forms = {
        "pattern": PatternForm(request.POST if which == "pattern" else None, prefix="pattern"),
        "change": ChangeForm(request.POST if which == "change" else None, patterns=patterns, prefix="change"),
        "roster": RosterForm(
            request.POST if which == "roster" else None, patterns=patterns, people=people, prefix="roster"
        ),
        "swap": SwapForm(request.POST if which == "swap" else None, patterns=patterns, people=people, prefix="swap"),
        "handover": HandoverForm(request.POST if which == "handover" else None, prefix="handover"),
    }
    if request.method == "POST":
        if which not in FORMS:
            return render(request, "rosters/team.html", _context(request, team, forms), status=422)
        form = forms[which]
        if form.is_valid():
            try:
                done = _save(request, team, which, form.cleaned_data)
            except ActionRefused as refusal:
                add_refusal(form, refusal)
            else:
                messages.success(request, done)
                return redirect("rosters:team", team.slug)
    failed = any(form.errors for form in forms.values())
    return render(request, "rosters/team.html", _context(request, team, forms), status=422 if failed else 200)


def _save(request: HttpRequest, team: Team, which: str, data: dict) -> str:
    user = request.user
    if which == "pattern":
        actions.create_pattern(actor=user, team=team, **data)
        return _("The shift is added.")
    if which == "change":
        actions.change_shift(data.pop("pattern"), actor=user, **data)
        return _("The change is saved.")
    if which == "roster":
        actions.roster_person(data.pop("pattern"), actor=user, **data)
        return _("The person is on the roster.")
    if which == "swap":
        actions.swap_shift(data.pop("pattern"), actor=user, **data)
        return _("The swap is saved.")
    successor, tickets = actions.hand_over(team, actor=user, note=data["note"])
    return _("%(count)d tickets are handed over to %(team)s.") % {"count": len(tickets), "team": successor.name}


def _context(request: HttpRequest, team: Team, forms: dict) -> dict:
    user = request.user
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    return {
        "team": team,
        "patterns": ShiftPattern.objects.visible_to(user).filter(team=team).order_by("starts_at"),
        "changes": ShiftChange.objects.visible_to(user)
        .filter(pattern__team=team, date__gte=today)
        .select_related("pattern")
        .order_by("date"),
        "roster": RosterEntry.objects.visible_to(user)
        .filter(pattern__team=team, week__gte=monday)
        .select_related("pattern", "person")
        .order_by("week", "pattern__starts_at", "person__full_name"),
        "swaps": ShiftSwap.objects.visible_to(user)
        .filter(pattern__team=team, date__gte=today)
        .select_related("pattern", "away", "cover")
        .order_by("date"),
        "on_shift": [
            shift for shift in shifts_at(timezone.now(), ShiftPattern.objects.visible_to(user).filter(team=team))
        ],
        "plans": can_plan_team(user, team),
        "hands_over": can_hand_over(user, team),
        "forms": forms,
    }


@rule_view(can_edit_routing_rule, methods=("GET", "HEAD", "POST"))
def follow_the_sun(request: HttpRequest, rule: RoutingRule) -> HttpResponse:
    teams = Team.objects.visible_to(request.user)
    current = [row.team for row in SunTeam.objects.visible_to(request.user).filter(rule=rule).select_related("team")]
    form = SunForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        initial={"teams": "\n".join(team.slug for team in current)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_sun_teams(rule, actor=request.user, teams=form.cleaned_data["teams"])
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("The rule's follow-the-sun teams are saved."))
            return redirect("rosters:sun", rule.pk)
    return render(
        request,
        "rosters/sun.html",
        {"rule": rule, "form": form, "current": current},
        status=422 if form.errors else 200,
    )
