"""Two-factor authentication: enrolment with a QR code, verification at sign-in, backup codes, the
organization's requirement, the API and the single sign-on seam."""

from binascii import unhexlify

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice

from servicepact.accounts import two_factor
from servicepact.accounts.two_factor import ENROLMENT_SESSION_KEY
from servicepact.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(secret_hex: str) -> str:
    return f"{TOTP(unhexlify(secret_hex)).token():06d}"


def enrol(client: Client) -> tuple[str, list[str]]:
    """Enrol the signed-in person's authenticator as they would: open the page, type the app's code."""
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    secret = client.session[ENROLMENT_SESSION_KEY]
    wrong = client.post(
        reverse("accounts:two_factor_setup"), {"code": "000000" if current_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 422 and "six digits your app shows now" in wrong.content.decode()
    done = client.post(reverse("accounts:two_factor_setup"), {"code": current_code(secret)})
    assert done.status_code == 200
    codes = [code.replace("-", "") for code in done.context["codes"]]
    return secret, codes


def password_login(client: Client, email: str):
    return client.post("/accounts/login/", {"username": email, "password": PASSWORD})


def test_enrolment_turns_it_on_and_the_next_sign_in_asks_for_a_code(world):
    client = Client()
    client.force_login(world.people["agent"])
    secret, codes = enrol(client)
    agent = world.people["agent"]
    agent.refresh_from_db()
    assert agent.two_factor_enabled and len(codes) == 10

    fresh = Client()
    assert password_login(fresh, agent.email).status_code == 302
    # Any page sends the half-signed-in person to the verification, the page they wanted kept.
    response = fresh.get(reverse("desk:queue", args=["triage"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert "next=%2Fqueues%2Ftriage%2F" in response["Location"]
    # The API does not take the session either.
    assert fresh.get("/api/whoami").status_code == 401
    refused = fresh.post(reverse("accounts:two_factor_verify"), {"code": "12345"})
    assert refused.status_code == 422 and "not valid" in refused.content.decode()

    # Each wrong code makes the next try wait (django-otp doubles the wait); time passes.
    StaticDevice.objects.update(throttling_failure_timestamp=None, throttling_failure_count=0)
    # The app's code was used by the enrolment: the next one of the same period is refused, so use a backup code.
    verified = fresh.post(reverse("accounts:two_factor_verify"), {"code": codes[0], "next": "/queues/triage/"})
    assert verified.status_code == 302 and verified["Location"] == "/queues/triage/"
    assert fresh.get(reverse("desk:queue", args=["triage"])).status_code == 200
    assert fresh.get("/api/whoami").status_code == 200

    # A backup code works once.
    again = Client()
    password_login(again, agent.email)
    assert again.post(reverse("accounts:two_factor_verify"), {"code": codes[0]}).status_code == 422
    assert two_factor.backup_codes_left(agent) == 9


def test_an_app_code_verifies_a_sign_in(world):
    client = Client()
    client.force_login(world.people["resolver"])
    secret, _codes = enrol(client)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # The enrolment's code counts as used; a later period's code is the one the next sign-in types.
    TOTPDevice.objects.filter(user=world.people["resolver"]).update(last_t=-1)
    fresh = Client()
    password_login(fresh, "resolver@example.test")
    assert fresh.post(reverse("accounts:two_factor_verify"), {"code": current_code(secret)}).status_code == 302
    assert fresh.get(reverse("accounts:profile")).status_code == 200


def test_the_organization_requires_it_of_staff_not_of_requesters(world):
    world.provider.require_two_factor = True
    world.provider.save()
    world.customer.require_two_factor = True
    world.customer.save()
    agent = Client()
    password_login(agent, "agent@example.test")
    response = agent.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert "requires a second factor" in agent.get(reverse("accounts:two_factor_setup")).content.decode()
    # Requesters are not asked.
    requester = Client()
    password_login(requester, "requester@example.test")
    assert requester.get(reverse("desk:portal")).status_code == 200
    # Once enrolled, the agent may not turn it off.
    enrol(agent)
    agent.post(reverse("accounts:two_factor_remove"))
    assert world.people["agent"].__class__.objects.get(email="agent@example.test").two_factor_enabled


def test_someone_not_required_may_turn_it_off_and_renew_backup_codes(world):
    client = Client()
    client.force_login(world.people["analyst"])
    _secret, codes = enrol(client)
    renewed = client.post(reverse("accounts:two_factor_backup_codes"))
    new_codes = [code.replace("-", "") for code in renewed.context["codes"]]
    assert not set(new_codes) & set(codes)
    client.post(reverse("accounts:two_factor_remove"))
    analyst = world.people["analyst"].__class__.objects.get(email="analyst@example.test")
    assert not analyst.two_factor_enabled and two_factor.backup_codes_left(analyst) == 0


def test_an_administrator_resets_a_lost_second_factor(world):
    client = Client()
    client.force_login(world.people["resolver"])
    enrol(client)
    admin = Client()
    admin.force_login(world.people["administrator"])
    admin.post(reverse("organization:person_two_factor_reset", args=[world.people["resolver"].pk]))
    resolver = world.people["resolver"].__class__.objects.get(email="resolver@example.test")
    assert not resolver.two_factor_enabled


def test_single_sign_on_that_vouches_for_a_second_factor_counts(world, rf, settings):
    settings.SERVICEPACT_OIDC_SECOND_FACTOR_ACR = ["urn:example:mfa"]
    assert two_factor.identity_provider_vouches({"amr": ["pwd", "otp"]})
    assert two_factor.identity_provider_vouches({"amr": "mfa"})
    assert two_factor.identity_provider_vouches({"acr": "urn:example:mfa"})
    assert not two_factor.identity_provider_vouches({"amr": ["pwd"]})
    assert not two_factor.identity_provider_vouches({})

    world.provider.require_two_factor = True
    world.provider.save()
    client = Client()
    client.force_login(world.people["agent"])
    assert client.get(reverse("accounts:profile")).status_code == 302
    # What the single sign-on login does after logging the person in, when the provider vouches.
    request = rf.get("/")
    request.user = world.people["agent"]
    request.session = client.session
    assert two_factor.accept_identity_provider_second_factor(request, {"amr": ["pwd", "mfa"]})
    request.session.save()
    assert client.get(reverse("accounts:profile")).status_code == 200
