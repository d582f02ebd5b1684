"""Settings for the tests in this directory."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The world fixture hashes a dozen passwords; the default hasher is meant to be slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
