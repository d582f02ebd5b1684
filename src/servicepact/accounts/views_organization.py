"""An organization's administration: its overview and settings, its teams, its people's API tokens.

The pages of the administrator's own organization (``administers_organization``); a team or a token is
found among those the administrator sees and must be their organization's (403 otherwise).
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicepact.accounts import actions
from servicepact.accounts.forms import OrganizationSettingsForm, TeamForm
from servicepact.accounts.models import (
    AdministrationRecord,
    ApiToken,
    IdentityProvider,
    Membership,
    Organization,
    Team,
    User,
)
from servicepact.accounts.views_people import add_refusal
from servicepact.permissions.administration import (
    administers_organization,
    can_administer_team,
    can_revoke_token,
)
from servicepact.permissions.declared import object_view, person_view
from servicepact.refusals import ActionRefused

RECENT_RECORDS = 30


def own_organization(request: HttpRequest) -> Organization:
    return Organization.objects.visible_to(request.user).get(pk=request.user.organization_id)


def find_team(request: HttpRequest, team_slug: str) -> Team:
    return get_object_or_404(Team.objects.visible_to(request.user).select_related("organization"), slug=team_slug)


def find_token(request: HttpRequest, token_id: int) -> ApiToken:
    return get_object_or_404(
        ApiToken.objects.visible_to(request.user).select_related("user__organization"), pk=token_id
    )


team_page = object_view(find_team, "team_slug")
token_page = object_view(find_token, "token_id")


@person_view(administers_organization, methods=("GET", "HEAD", "POST"))
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    organization = own_organization(request)
    form = OrganizationSettingsForm(
        request.POST or None,
        initial={
            "require_two_factor": organization.require_two_factor,
            "require_single_sign_on": organization.require_single_sign_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_settings(
                organization,
                actor=user,
                require_two_factor=form.cleaned_data["require_two_factor"],
                require_single_sign_on=form.cleaned_data["require_single_sign_on"],
            )
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("organization:overview")
    people = User.objects.visible_to(user).filter(organization_id=organization.pk)
    counts = people.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        two_factor=Count("pk", filter=Q(is_active=True, two_factor_enabled=True)),
    )
    records = AdministrationRecord.objects.visible_to(user).select_related("actor")[:RECENT_RECORDS]
    return render(
        request,
        "accounts/organization/overview.html",
        {
            "organization": organization,
            "form": form,
            "counts": counts,
            "records": records,
            "section": "overview",
            "teams": Team.objects.visible_to(user).filter(organization_id=organization.pk).count(),
            "identity_providers": IdentityProvider.objects.visible_to(user),
        },
        status=422 if form.errors else 200,
    )


@person_view(administers_organization, methods=("GET", "HEAD", "POST"))
def teams(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TeamForm(request.POST or None, initial={"timezone": user.organization.timezone})
    if request.method == "POST" and form.is_valid():
        try:
            team = actions.create_team(
                actor=user, **{field: form.cleaned_data[field] for field in TeamForm.Meta.fields}
            )
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The team %(team)s is created.") % {"team": team.name})
            return redirect("organization:teams")
    active_members = Q(memberships__organization_id=user.organization_id, memberships__user__is_active=True)
    rows = (
        Team.objects.visible_to(user)
        .filter(organization_id=user.organization_id)
        .annotate(members=Count("memberships__user", filter=active_members, distinct=True))
        .order_by("name")
    )
    return render(
        request,
        "accounts/organization/teams.html",
        {"form": form, "teams": rows, "section": "teams"},
        status=422 if form.errors else 200,
    )


@team_page(can_administer_team, methods=("GET", "HEAD", "POST"))
def team(request: HttpRequest, team: Team) -> HttpResponse:
    user = request.user
    form = TeamForm(request.POST or None, instance=Team.objects.visible_to(user).get(pk=team.pk), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_team(
                team,
                actor=user,
                name=form.cleaned_data["name"],
                timezone=form.cleaned_data["timezone"],
                email=form.cleaned_data["email"],
                is_service_desk=form.cleaned_data["is_service_desk"],
            )
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The team %(team)s is saved.") % {"team": team.name})
            return redirect("organization:team", team.slug)
    members = (
        Membership.objects.visible_to(user)
        .filter(team=team, organization_id=user.organization_id)
        .select_related("user")
        .order_by("user__full_name", "role")
    )
    return render(
        request,
        "accounts/organization/team.html",
        {
            "team": team,
            "form": form,
            "members": members,
            "section": "teams",
        },
        status=422 if form.errors else 200,
    )


@person_view(administers_organization)
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    show = request.GET.get("show", "usable")
    rows = (
        ApiToken.objects.visible_to(user)
        .filter(user__organization_id=user.organization_id)
        .select_related("user")
        .order_by("user__full_name", "-created_at")
    )
    if show == "usable":
        rows = rows.usable()
    return render(request, "accounts/organization/tokens.html", {"tokens": rows, "show": show, "section": "tokens"})


@token_page(can_revoke_token)
def token_revoke(request: HttpRequest, token: ApiToken) -> HttpResponse:
    try:
        actions.revoke_person_token(token, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("The token %(name)s of %(person)s is revoked.") % {"name": token.name, "person": token.user}
        )
    if request.POST.get("back") == "person":
        return redirect("organization:person", token.user_id)
    return redirect("organization:tokens")
