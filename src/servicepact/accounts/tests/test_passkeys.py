"""Passkeys as a second factor: the ceremonies a waiting session may reach, no sign-in by passkey alone,
and removal that keeps an organization's requirement."""

import hashlib

import pytest
from django.core.management import call_command
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from servicepact.accounts import passkeys
from servicepact.accounts.models import User
from servicepact.refusals import ActionRefused


def add_passkey(person: User) -> WebAuthnCredential:
    credential_id = f"credential-of-{person.pk}".encode()
    passkey = WebAuthnCredential.objects.create(
        user=person,
        name="Laptop",
        confirmed=True,
        credential_id=credential_id,
        credential_id_sha256=hashlib.sha256(credential_id).hexdigest(),
        public_key=b"not used here",
        sign_count=0,
    )
    passkeys.passkey_registered(actor=person)
    return passkey


@pytest.fixture
def agent_with_passkey(world):
    person = world.people["agent"]
    return person, add_passkey(person)


def test_a_session_waiting_for_its_passkey_reaches_the_ceremony_and_nothing_else(agent_with_passkey):
    person, _ = agent_with_passkey
    client = Client()
    client.force_login(person)
    queue = client.get("/queues/all/")
    assert queue.status_code == 302 and "/accounts/two-factor/verify/" in queue["Location"]
    verify = client.get(reverse("accounts:two_factor_verify"))
    assert 'id="passkey-verification-placeholder"' in verify.content.decode()
    begun = client.post(reverse("otp_webauthn:credential-authentication-begin"), content_type="application/json")
    assert begun.status_code == 200
    assert begun.json()["allowCredentials"], "the person's own passkey is offered"
    registering = client.post(reverse("otp_webauthn:credential-registration-begin"), content_type="application/json")
    assert registering.status_code in (302, 403), "adding a passkey needs the sign-in confirmed first"


def test_nobody_signs_in_with_a_passkey_alone():
    answer = Client().post(reverse("otp_webauthn:credential-authentication-begin"), content_type="application/json")
    assert answer.status_code == 302 and reverse("accounts:login") in answer["Location"]


def test_the_last_passkey_of_someone_whose_organization_requires_a_second_factor_stays(world, agent_with_passkey):
    person, passkey = agent_with_passkey
    world.provider.require_two_factor = True
    world.provider.save()
    with pytest.raises(ActionRefused):
        passkeys.remove_passkey(actor=person, passkey_id=passkey.pk)
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_removing_the_only_passkey_turns_two_factor_off_and_nobody_removes_anothers(world, agent_with_passkey):
    person, passkey = agent_with_passkey
    with pytest.raises(Http404):
        passkeys.remove_passkey(actor=world.people["resolver"], passkey_id=passkey.pk)
    passkeys.remove_passkey(actor=person, passkey_id=passkey.pk)
    person.refresh_from_db()
    assert not person.two_factor_enabled and not WebAuthnCredential.objects.filter(user=person).exists()


def test_the_system_checks_pass_with_the_default_settings():
    """``migrate`` and ``serve`` run Django's checks first; the passkey library's must pass out of the box."""
    call_command("check")
