"""An organization's administration: its administrators manage its people, roles, teams, tokens and settings,
and nobody else's; each change is recorded."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from servicepact.accounts import actions
from servicepact.accounts.models import AdministrationAction, AdministrationRecord, ApiToken, Membership, Role, User
from servicepact.accounts.tokens import create_token
from servicepact.permissions import principal_of
from servicepact.refusals import ActionRefused

pytestmark = pytest.mark.django_db


def test_a_new_person_sets_their_password_with_the_link_and_signs_in(world):
    admin = world.people["administrator"]
    person = actions.create_person(
        actor=admin, email=" New.Agent@Example.test ", full_name="New Agent", role=Role.AGENT, team=world.teams["desk"]
    )
    assert person.email == "new.agent@example.test" and not person.has_usable_password()
    assert principal_of(person).roles == {Role.AGENT} and principal_of(person).team_ids == {world.teams["desk"].pk}

    client = Client()
    link = actions.password_link(person, actor=admin)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Set your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long pass phrase 42", "new_password2": "a long pass phrase 42"},
        follow=True,
    )
    assert "Your password is set" in done.content.decode()
    assert (
        client.post(
            "/accounts/login/", {"username": "new.agent@example.test", "password": "a long pass phrase 42"}
        ).status_code
        == 302
    )
    # The link works once.
    assert "This link does not work" in Client().get(link, follow=True).content.decode()
    actions_done = list(
        AdministrationRecord.objects.filter(organization=world.provider).values_list("action", flat=True)
    )
    assert AdministrationAction.PERSON_CREATED in actions_done and AdministrationAction.PASSWORD_LINK in actions_done


def test_refusals_name_the_field(world):
    admin = world.people["administrator"]
    with pytest.raises(ActionRefused) as taken:
        actions.create_person(actor=admin, email="agent@example.test", full_name="Twice", role=Role.AGENT)
    assert "email" in taken.value.errors and taken.value.status == 409
    with pytest.raises(ActionRefused) as foreign_team:
        actions.create_person(
            actor=admin, email="x@example.test", full_name="X", role=Role.RESOLVER, team=world.teams["security"]
        )
    assert "team" in foreign_team.value.errors


def test_only_an_administrator_of_the_organization_administers_it(world):
    resolver = world.people["resolver"]
    with pytest.raises(PermissionDenied):
        actions.create_person(actor=world.people["team-lead"], email="x@example.test", full_name="X", role=Role.AGENT)
    with pytest.raises(PermissionDenied):
        actions.deactivate_person(world.people["requester"], actor=world.people["administrator"])  # a partner's
    with pytest.raises(PermissionDenied):
        actions.deactivate_person(resolver, actor=world.people["customer-manager"])
    assert User.objects.get(pk=resolver.pk).is_active


def test_a_deactivated_person_cannot_sign_in_nor_use_a_token_and_is_listed_only_for_the_administrators(world):
    admin, resolver = world.people["administrator"], world.people["resolver"]
    _token, secret = create_token(actor=resolver, name="ci")
    actions.deactivate_person(resolver, actor=admin)
    assert not ApiToken.objects.usable().filter(user=resolver).exists()
    assert Client().get("/api/whoami", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert (
        Client()
        .post("/accounts/login/", {"username": resolver.email, "password": "correct-horse-battery-staple"})
        .status_code
        == 200
    )
    assert User.objects.visible_to(admin).filter(pk=resolver.pk).exists()
    assert not User.objects.visible_to(world.people["agent"]).filter(pk=resolver.pk).exists()
    actions.reactivate_person(User.objects.get(pk=resolver.pk), actor=admin)
    assert User.objects.get(pk=resolver.pk).is_active


def test_the_organization_keeps_an_administrator(world):
    admin = world.people["administrator"]
    with pytest.raises(ActionRefused):
        actions.deactivate_person(admin, actor=admin)
    with pytest.raises(ActionRefused):
        actions.remove_role(Membership.objects.get(user=admin), actor=admin)
    second = actions.create_person(
        actor=admin, email="admin2@example.test", full_name="Second", role=Role.ADMINISTRATOR
    )
    actions.remove_role(Membership.objects.get(user=admin), actor=admin)
    assert not Membership.objects.filter(user=admin).exists() and second.is_active


def test_roles_and_teams(world):
    admin, resolver = world.people["administrator"], world.people["resolver"]
    membership = actions.give_role(resolver, actor=admin, role=Role.AGENT, team=world.teams["desk"])
    with pytest.raises(ActionRefused):
        actions.give_role(resolver, actor=admin, role=Role.AGENT, team=world.teams["desk"])
    actions.remove_role(membership, actor=admin)
    team = actions.create_team(actor=admin, name="Application support India", timezone="Asia/Kolkata")
    assert team.slug == "application-support-india" and team.organization == world.provider
    with pytest.raises(ActionRefused):
        actions.create_team(actor=admin, name="Again", slug="application-support-india")
    actions.update_team(
        team,
        actor=admin,
        name="App support IN",
        timezone="Asia/Kolkata",
        email="in@example.test",
        is_service_desk=False,
    )
    with pytest.raises(PermissionDenied):
        actions.update_team(
            world.teams["security"], actor=admin, name="Mine now", timezone="UTC", email="", is_service_desk=False
        )


def test_an_administrator_revokes_a_token_of_their_people_only(world):
    token, _secret = create_token(actor=world.people["resolver"], name="laptop")
    actions.revoke_person_token(token, actor=world.people["administrator"])
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    foreign, _secret = create_token(actor=world.people["requester"], name="phone")
    with pytest.raises(PermissionDenied):
        actions.revoke_person_token(foreign, actor=world.people["administrator"])
    # The personal token page still lists one's own tokens only.
    assert set(ApiToken.objects.visible_to(world.people["administrator"]).values_list("name", flat=True)) == {"laptop"}


def test_settings_require_two_factor(world):
    actions.change_settings(world.provider, actor=world.people["administrator"], require_two_factor=True)
    world.provider.refresh_from_db()
    assert world.provider.require_two_factor
    with pytest.raises(PermissionDenied):
        actions.change_settings(world.customer, actor=world.people["administrator"], require_two_factor=True)


def test_a_token_expiry_with_any_offset_is_kept_as_the_same_instant(world):
    """ISO 8601 allows offsets up to ±23:59 and PostgreSQL stores at most ±15:59: the API keeps the instant."""
    _token, secret = create_token(actor=world.people["resolver"], name="ci")
    answer = Client().post(
        "/api/tokens",
        {"name": "far east", "expires_at": "4937-09-09T09:31:53+16:19"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert answer.status_code == 201, answer.content
    stored = ApiToken.objects.get(pk=answer.json()["id"])
    assert stored.expires_at.isoformat() == "4937-09-08T17:12:53+00:00"
    assert answer.json()["expires_at"].startswith("4937-09-08T17:12:53")
    too_early = Client().post(
        "/api/tokens",
        {"name": "year one", "expires_at": "0001-01-01T00:30:00+01:00"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert too_early.status_code == 422 and "expires_at" in too_early.content.decode()
