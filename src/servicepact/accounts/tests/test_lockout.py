"""Login throttling: failed logins lock the account and the address for a while; an administrator unlocks."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from servicepact.accounts import actions, lockout
from servicepact.testing.factories import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.SERVICEPACT_LOGIN_ADDRESS_FAILURE_LIMIT = 5


def log_in(client: Client, email: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_failed_logins_lock_the_account_whatever_the_case_and_even_the_right_password_waits(world):
    client = Client()
    for _attempt in range(2):
        assert log_in(client, "Resolver@Example.test", "wrong").status_code == 200
    locked = log_in(client, "resolver@example.test", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in is locked for now" in page and "Try again in 15 minutes" in page
    assert int(locked["Retry-After"]) == 15 * 60
    # The right password is not even tried while the account is locked, from any address.
    assert log_in(Client(), "resolver@example.test", PASSWORD, address="10.9.9.9").status_code == 429
    assert lockout.is_locked_out("RESOLVER@example.test")
    # Another account still signs in from another address.
    assert log_in(Client(), "agent@example.test", PASSWORD, address="10.9.9.9").status_code == 302


@pytest.mark.django_db
def test_failed_logins_from_one_address_lock_that_address_at_its_own_larger_limit(world):
    client = Client()
    for email in ("agent@example.test", "analyst@example.test", "team-lead@example.test", "resolver@example.test"):
        log_in(client, email, "guess", address="192.0.2.7")
    # Four failures of four people from one address: nobody's account is locked, the address not yet.
    assert log_in(client, "requester@example.test", PASSWORD, address="192.0.2.7").status_code == 302
    log_in(Client(), "no-such-person@example.test", "guess", address="192.0.2.7")
    assert log_in(Client(), "requester@example.test", PASSWORD, address="192.0.2.7").status_code == 429
    assert log_in(Client(), "requester@example.test", PASSWORD, address="192.0.2.8").status_code == 302


@pytest.mark.django_db
def test_a_success_before_the_limit_clears_the_count(world):
    client = Client()
    log_in(client, "agent@example.test", "wrong")
    log_in(client, "agent@example.test", "wrong")
    assert log_in(client, "agent@example.test", PASSWORD).status_code == 302
    assert lockout.failed_logins("agent@example.test") == 0


@pytest.mark.django_db
def test_the_organizations_administrator_unlocks_the_account(world, client):
    for attempt in range(3):
        log_in(Client(), "resolver@example.test", "wrong", address=f"10.0.0.{attempt}")
    assert lockout.is_locked_out("resolver@example.test")
    with pytest.raises(PermissionDenied):
        actions.unlock_sign_in(world.people["resolver"], actor=world.people["team-lead"])

    client.force_login(world.people["administrator"])
    page = client.get(reverse("organization:person", args=[world.people["resolver"].pk])).content.decode()
    assert "locked out" in page and 'id="unlock"' in page
    response = client.post(reverse("organization:person_unlock", args=[world.people["resolver"].pk]), follow=True)
    assert "may sign in again" in response.content.decode()
    assert not lockout.is_locked_out("resolver@example.test")
    assert log_in(Client(), "resolver@example.test", PASSWORD, address="10.0.0.9").status_code == 302


def test_the_client_address_behind_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="198.51.100.4, 203.0.113.9, 10.1.1.2")
    settings.SERVICEPACT_TRUSTED_PROXIES = 0
    assert lockout.client_address(request) == "10.1.1.1"
    settings.SERVICEPACT_TRUSTED_PROXIES = 2
    # The outermost own proxy saw 203.0.113.9; what the client wrote before it does not count.
    assert lockout.client_address(request) == "203.0.113.9"
    settings.SERVICEPACT_TRUSTED_PROXIES = 5
    assert lockout.client_address(request) == "10.1.1.1"
