"""An organization's administrators add, change, try and disable its identity providers and directories on
its own pages: bad values are refused beside their field with nothing changed, secrets are written once and
never shown back, and nobody else sees them."""

import pytest
from django.test import Client
from django.urls import reverse

from servicepact.accounts.models import (
    AdministrationAction,
    AdministrationRecord,
    DirectorySource,
    IdentityProvider,
    Membership,
    Role,
    User,
)
from servicepact.testing import factories

pytestmark = pytest.mark.django_db
SECRET = "s3cret-the-provider-gave"
PROVIDER = {
    "name": "Northwind Entra ID",
    "slug": "northwind-entra",
    "issuer": "https://login.northwind.example/tenant/v2.0/",
    "client_id": "servicepact-web",
    "client_secret": SECRET,
    "scopes": "openid email profile",
    "claim_email": "email",
    "claim_name": "name",
    "claim_language": "locale",
    "claim_timezone": "zoneinfo",
    "claim_department": "department",
    "create_people": "on",
    "default_role": "requester",
    "enabled": "on",
}
DIRECTORY = {
    "name": "Northwind LDAP",
    "slug": "northwind-ldap",
    "server_url": "ldaps://ldap.northwind.example:636",
    "bind_dn": "cn=reader,dc=northwind,dc=example",
    "bind_password": "bind-secret",
    "people_base": "ou=people,dc=northwind,dc=example",
    "people_filter": "(objectClass=inetOrgPerson)",
    "disabled_filter": "(employeeType=disabled)",
    "attribute_email": "mail",
    "attribute_name": "cn",
    "attribute_department": "departmentNumber",
    "attribute_manager": "manager",
    "attribute_language": "preferredLanguage",
    "group_base": "ou=groups,dc=northwind,dc=example",
    "group_filter": "(objectClass=groupOfNames)",
    "group_member_attribute": "member",
    "role_mapping": "servicedesk = agent\ncn=leads,ou=groups,dc=northwind,dc=example = team_lead",
    "default_role": "requester",
    "enabled": "on",
}


@pytest.fixture
def admin_client(world) -> Client:
    client = Client()
    client.force_login(world.people["administrator"])
    return client


def test_an_administrator_adds_a_provider_whose_secret_is_never_shown_back(admin_client, world):
    response = admin_client.post(reverse("organization:provider_new"), PROVIDER)
    assert response.status_code == 302 and response["Location"] == reverse(
        "organization:provider", args=["northwind-entra"]
    )
    provider = IdentityProvider.objects.get(slug="northwind-entra")
    assert provider.organization == world.provider and provider.client_secret == SECRET
    assert provider.issuer == "https://login.northwind.example/tenant/v2.0"
    page = admin_client.get(reverse("organization:provider", args=["northwind-entra"])).content.decode()
    assert SECRET not in page and "A client secret is saved." in page
    listed = admin_client.get(reverse("organization:sign_in")).content.decode()
    assert "Northwind Entra ID" in listed and SECRET not in listed
    record = AdministrationRecord.objects.get(action=AdministrationAction.IDENTITY_PROVIDER_ADDED)
    assert record.subject == "Northwind Entra ID" and SECRET not in str(record.detail)


def test_a_change_without_a_secret_keeps_it_and_a_new_one_replaces_it(admin_client):
    admin_client.post(reverse("organization:provider_new"), PROVIDER)
    url = reverse("organization:provider", args=["northwind-entra"])
    changed = {**PROVIDER, "client_secret": "", "scopes": "openid email groups"}
    del changed["slug"]
    assert admin_client.post(url, changed).status_code == 302
    provider = IdentityProvider.objects.get(slug="northwind-entra")
    assert provider.client_secret == SECRET and provider.scopes == "openid email groups"
    assert admin_client.post(url, {**changed, "client_secret": "rotated"}).status_code == 302
    assert IdentityProvider.objects.get(slug="northwind-entra").client_secret == "rotated"
    record = AdministrationRecord.objects.filter(action=AdministrationAction.IDENTITY_PROVIDER_CHANGED).first()
    assert record.detail["secret_replaced"] is True and "rotated" not in str(record.detail)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuer", "login.northwind.example", "is not an issuer URL"),
        ("issuer", "http://login.northwind.example", "must use https://"),
        ("issuer", "https://login.northwind.example/?tenant=1", "may not have a query"),
        ("scopes", "email profile", "must include openid"),
        ("claim_email", "e mail", "is not a claim name"),
        ("client_id", "", "This field is required."),
    ],
)
def test_a_bad_provider_value_is_named_beside_its_field_and_nothing_is_saved(admin_client, field, value, message):
    response = admin_client.post(reverse("organization:provider_new"), {**PROVIDER, field: value})
    assert response.status_code == 422
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert not IdentityProvider.objects.exists() and not AdministrationRecord.objects.exists()


def test_a_refused_change_changes_nothing(admin_client):
    admin_client.post(reverse("organization:provider_new"), PROVIDER)
    before = list(IdentityProvider.objects.values())
    url = reverse("organization:provider", args=["northwind-entra"])
    response = admin_client.post(url, {**PROVIDER, "issuer": "ftp://x", "client_secret": "new"})
    assert response.status_code == 422
    assert list(IdentityProvider.objects.values()) == before


def test_the_last_enabled_provider_of_an_organization_that_requires_sso_is_not_disabled(admin_client, world):
    admin_client.post(reverse("organization:provider_new"), PROVIDER)
    assert admin_client.post(reverse("organization:sign_in"), {"require_single_sign_on": "on"}).status_code == 302
    world.provider.refresh_from_db()
    assert world.provider.require_single_sign_on
    disabled = {key: value for key, value in PROVIDER.items() if key not in ("slug", "enabled")}
    response = admin_client.post(reverse("organization:provider", args=["northwind-entra"]), disabled)
    assert response.status_code == 422
    assert "stop requiring single sign-on first" in str(response.context["form"].errors["enabled"])
    assert IdentityProvider.objects.get(slug="northwind-entra").enabled
    # Not required any more: then it may be disabled.
    assert admin_client.post(reverse("organization:sign_in"), {}).status_code == 302
    assert admin_client.post(reverse("organization:provider", args=["northwind-entra"]), disabled).status_code == 302
    assert not IdentityProvider.objects.get(slug="northwind-entra").enabled


def test_an_administrator_adds_a_directory_and_bad_values_are_named(admin_client, world):
    for field, value, message in [
        ("server_url", "http://ldap.northwind.example", "is not a directory server"),
        ("people_base", "people at northwind", "is not a distinguished name"),
        ("people_filter", "objectClass=person", "is not an LDAP filter"),
        ("role_mapping", "servicedesk agent", "Line 1, servicedesk agent"),
        ("role_mapping", "servicedesk = wizard", "Line 1: wizard is not a role"),
    ]:
        response = admin_client.post(reverse("organization:directory_new"), {**DIRECTORY, field: value})
        assert response.status_code == 422, field
        assert any(message in error for error in response.context["form"].errors[field]), response.context[
            "form"
        ].errors
    assert not DirectorySource.objects.exists()
    assert admin_client.post(reverse("organization:directory_new"), DIRECTORY).status_code == 302
    source = DirectorySource.objects.get(slug="northwind-ldap")
    assert source.organization == world.provider and source.bind_password == "bind-secret"
    assert source.role_mapping == {
        "servicedesk": "agent",
        "cn=leads,ou=groups,dc=northwind,dc=example": "team_lead",
    }
    page = admin_client.get(reverse("organization:directory_source", args=["northwind-ldap"])).content.decode()
    assert "bind-secret" not in page and "servicedesk = agent" in page


def test_trying_an_issuer_that_does_not_answer_says_so(admin_client):
    admin_client.post(reverse("organization:provider_new"), {**PROVIDER, "issuer": "http://127.0.0.1:9"})
    response = admin_client.post(reverse("organization:provider_test", args=["northwind-entra"]), follow=True)
    assert "The issuer does not answer as an OpenID provider" in response.content.decode()


def test_trying_a_directory_that_does_not_answer_says_so(admin_client):
    admin_client.post(reverse("organization:directory_new"), {**DIRECTORY, "server_url": "ldap://127.0.0.1:9"})
    response = admin_client.post(reverse("organization:directory_test", args=["northwind-ldap"]), follow=True)
    assert "The directory cannot be reached" in response.content.decode()


def test_only_the_organizations_administrators_see_its_sign_in_settings(admin_client, world):
    admin_client.post(reverse("organization:provider_new"), PROVIDER)
    admin_client.post(reverse("organization:directory_new"), DIRECTORY)
    other_admin = factories.UserFactory(email="admin@globex.example", organization=world.customer)
    Membership.objects.create(user=other_admin, organization=world.customer, role=Role.ADMINISTRATOR)
    pages = [
        ("get", reverse("organization:provider", args=["northwind-entra"])),
        ("post", reverse("organization:provider_test", args=["northwind-entra"])),
        ("get", reverse("organization:directory_source", args=["northwind-ldap"])),
        ("post", reverse("organization:directory_test", args=["northwind-ldap"])),
    ]
    before = (list(IdentityProvider.objects.values()), list(DirectorySource.objects.values()))
    for person in (other_admin, world.people["agent"], world.people["team-lead"]):
        client = Client()
        client.force_login(person)
        for method, url in pages:
            assert getattr(client, method)(url, PROVIDER).status_code == 404, (person, url)
        listed = client.get(reverse("organization:sign_in"))
        if person == other_admin:
            assert listed.status_code == 200 and "Northwind Entra ID" not in listed.content.decode()
        else:
            assert listed.status_code == 403
    assert (list(IdentityProvider.objects.values()), list(DirectorySource.objects.values())) == before
    assert User.objects.filter(email="admin@globex.example").exists()
