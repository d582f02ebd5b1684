"""An organization's administration of its people: list, create, change, roles, deactivate, sign-in help.

Every page works on the administrator's own organization; a person is found among those the
administrator sees (``visible_to``: their own organization's people, deactivated ones included) and
must be one of their organization's (``can_administer_person``, 403 for a partner's person).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicepact.accounts import actions, lockout
from servicepact.accounts.forms import PeopleFilterForm, PersonChangeForm, PersonCreateForm, RoleForm
from servicepact.accounts.models import ApiToken, Membership, Team, User
from servicepact.accounts.models.user import IdentitySource
from servicepact.permissions.administration import (
    administers_organization,
    can_administer_membership,
    can_administer_person,
)
from servicepact.permissions.declared import object_view, person_view
from servicepact.refusals import ActionRefused

PAGE_SIZE = 50


def own_teams(user):
    return Team.objects.visible_to(user).filter(organization_id=user.organization_id).order_by("name")


def counted_roles(user):
    """The memberships that count (in the person's own organization), for a prefetch."""
    return Prefetch(
        "memberships",
        to_attr="roles",
        queryset=Membership.objects.visible_to(user)
        .filter(organization_id=user.organization_id)
        .select_related("team")
        .order_by("role", "team__name"),
    )


def find_person(request: HttpRequest, person_id: int) -> User:
    people = (
        User.objects.visible_to(request.user)
        .select_related("organization")
        .prefetch_related(counted_roles(request.user))
    )
    return get_object_or_404(people, pk=person_id)


def find_membership(request: HttpRequest, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user", "team"), pk=membership_id
    )


person_page = object_view(find_person, "person_id")
membership_page = object_view(find_membership, "membership_id")


def add_refusal(form, refusal: ActionRefused) -> None:
    """The action's refusal as the form's errors, beside the field it names where the form has it."""
    for field, problems in refusal.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
    if not refusal.errors:
        form.add_error(None, refusal.message)


@person_view(administers_organization)
def people(request: HttpRequest) -> HttpResponse:
    user = request.user
    teams = own_teams(user)
    filters = PeopleFilterForm(request.GET or None, teams=teams, initial={"status": "active"})
    found = User.objects.visible_to(user).filter(organization_id=user.organization_id)
    criteria = filters.cleaned_data if filters.is_valid() else {"status": "active"}
    if criteria.get("q"):
        found = found.filter(Q(full_name__icontains=criteria["q"]) | Q(email__icontains=criteria["q"]))
    if criteria.get("role"):
        found = found.filter(memberships__role=criteria["role"], memberships__organization_id=user.organization_id)
    if criteria.get("team"):
        found = found.filter(memberships__team=criteria["team"])
    if criteria.get("status") in ("active", "inactive"):
        found = found.filter(is_active=criteria["status"] == "active")
    found = found.distinct().order_by("full_name", "email").prefetch_related(counted_roles(user))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    locked = lockout.locked_out_among([person.email for person in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/organization/people.html",
        {
            "filters": filters,
            "page": page,
            "locked": locked,
            "query": query.urlencode(),
            "section": "people",
        },
    )


@person_view(administers_organization, methods=("GET", "HEAD", "POST"))
def person_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PersonCreateForm(request.POST or None, teams=own_teams(user), organization=user.organization)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.create_person(actor=user, **form.cleaned_data)
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("%(person)s is added.") % {"person": person})
            link = None
            if person.identity_source == IdentitySource.LOCAL:
                link = request.build_absolute_uri(actions.password_link(person, actor=user))
            return person_page_response(request, find_person(request, person.pk), link=link)
    return render(
        request,
        "accounts/organization/person_new.html",
        {"form": form, "section": "people"},
        status=422 if form.errors else 200,
    )


def person_page_response(
    request: HttpRequest, person: User, *, change_form=None, role_form=None, link: str | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    tokens = ApiToken.objects.visible_to(user).filter(user=person)
    return render(
        request,
        "accounts/organization/person.html",
        {
            "person": person,
            "change_form": change_form or PersonChangeForm(instance=person, prefix="person"),
            "role_form": role_form or RoleForm(teams=own_teams(user), prefix="role"),
            "tokens": tokens,
            "locked": lockout.is_locked_out(person.email),
            "link": link,
            "section": "people",
        },
        status=status,
    )


@person_page(can_administer_person, methods=("GET", "HEAD"))
def person(request: HttpRequest, person: User) -> HttpResponse:
    return person_page_response(request, person)


@person_page(can_administer_person)
def person_change(request: HttpRequest, person: User) -> HttpResponse:
    form = PersonChangeForm(
        request.POST, instance=User.objects.visible_to(request.user).get(pk=person.pk), prefix="person"
    )
    if form.is_valid():
        try:
            actions.update_person(
                person,
                actor=request.user,
                **{field: form.cleaned_data[field] for field in PersonChangeForm.Meta.fields},
            )
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("%(person)s is saved.") % {"person": person})
            return redirect("organization:person", person.pk)
    return person_page_response(request, person, change_form=form, status=422)


@person_page(can_administer_person)
def person_role_add(request: HttpRequest, person: User) -> HttpResponse:
    form = RoleForm(request.POST, teams=own_teams(request.user), prefix="role")
    if form.is_valid():
        try:
            actions.give_role(
                person, actor=request.user, role=form.cleaned_data["role"], team=form.cleaned_data["team"]
            )
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The role is given."))
            return redirect("organization:person", person.pk)
    return person_page_response(request, person, role_form=form, status=422)


@membership_page(can_administer_membership)
def membership_remove(request: HttpRequest, membership: Membership) -> HttpResponse:
    try:
        actions.remove_role(membership, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The role is removed."))
    return redirect("organization:person", membership.user_id)


def _person_action(request: HttpRequest, person: User, act, done: str) -> HttpResponse:
    try:
        act(person, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done % {"person": person})
    return redirect("organization:person", person.pk)


@person_page(can_administer_person)
def person_deactivate(request: HttpRequest, person: User) -> HttpResponse:
    return _person_action(
        request, person, actions.deactivate_person, _("%(person)s is deactivated: no sign-in, no API token works.")
    )


@person_page(can_administer_person)
def person_reactivate(request: HttpRequest, person: User) -> HttpResponse:
    return _person_action(request, person, actions.reactivate_person, _("%(person)s is active again."))


@person_page(can_administer_person)
def person_unlock(request: HttpRequest, person: User) -> HttpResponse:
    return _person_action(request, person, actions.unlock_sign_in, _("%(person)s may sign in again."))


@person_page(can_administer_person)
def person_two_factor_reset(request: HttpRequest, person: User) -> HttpResponse:
    return _person_action(request, person, actions.reset_two_factor, _("The second factors of %(person)s are removed."))


@person_page(can_administer_person)
def person_password_link(request: HttpRequest, person: User) -> HttpResponse:
    try:
        link = request.build_absolute_uri(actions.password_link(person, actor=request.user))
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("organization:person", person.pk)
    return person_page_response(request, person, link=link)
