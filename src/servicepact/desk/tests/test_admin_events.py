"""The admin shows tickets and their events but offers no way to change them."""

import pytest
from django.test import Client

from servicepact.testing.factories import UserFactory


@pytest.fixture
def superuser(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return UserFactory(email="root@example.test", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", ["ticket", "ticketevent"])
def test_admin_lists_but_cannot_add(superuser, model):
    client = Client()
    client.force_login(superuser)
    assert client.get(f"/admin/desk/{model}/").status_code == 200
    assert client.get(f"/admin/desk/{model}/add/").status_code == 403
