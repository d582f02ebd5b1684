"""The administration pages open, and a signed contract version cannot be edited there."""

import pytest
from django.urls import reverse

from servicepact.testing.factories import UserFactory

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

ADMIN_PAGES = [
    "accounts_organization",
    "accounts_user",
    "accounts_team",
    "accounts_membership",
    "accounts_apitoken",
    "contracts_contract",
    "contracts_contractversion",
    "contracts_service",
    "contracts_category",
    "desk_routingrule",
    "slm_clockstate",
]


@pytest.fixture
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(world):
    return UserFactory(email="root@example.test", is_staff=True, is_superuser=True, organization=world.provider)


@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_changelist_opens(client, superuser, model):
    client.force_login(superuser)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_person_add_form_asks_for_email_not_username(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert 'name="email"' in page and 'name="username"' not in page


def test_signed_version_is_read_only(client, superuser, world):
    client.force_login(superuser)
    url = reverse("admin:contracts_contractversion_change", args=[world.version.pk])
    page = client.get(url).content.decode()
    assert 'name="source"' not in page
    delete = client.get(reverse("admin:contracts_contractversion_delete", args=[world.version.pk]))
    assert delete.status_code == 403


def test_admin_is_closed_to_non_staff(client, agent):
    client.force_login(agent)
    assert client.get(reverse("admin:index")).status_code == 302
