"""The person's own pages: log in by e-mail, preferences, language switch, API tokens."""

import pytest
from django.urls import reverse

from servicepact.accounts.models import ApiToken
from servicepact.accounts.models.token import hash_token
from servicepact.testing.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_log_in_by_email_lands_on_the_workspace(client, agent):
    response = client.post(reverse("accounts:login"), {"username": agent.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("desk:queue", args=["triage"])


def test_wrong_password_is_refused_on_the_form(client, agent):
    response = client.post(reverse("accounts:login"), {"username": agent.email, "password": "nope"})
    assert response.status_code == 200 and "form-errors" in response.content.decode()


def test_profile_saves_time_zone_and_language(client, requester):
    client.force_login(requester)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Rita Requester", "phone": "", "timezone": "Asia/Shanghai", "language": "zh-hans"},
    )
    assert response.status_code == 302
    requester.refresh_from_db()
    assert (requester.timezone, requester.language) == ("Asia/Shanghai", "zh-hans")
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'lang="zh-hans"' in page and "Asia/Shanghai" in page


def test_profile_refuses_an_unknown_time_zone(client, requester):
    client.force_login(requester)
    response = client.post(reverse("accounts:profile"), {"timezone": "Mars/Olympus", "language": "en"})
    assert response.status_code == 422 and "Mars/Olympus" in response.content.decode()
    requester.refresh_from_db()
    assert requester.timezone == "UTC"


def test_language_switch_saves_the_choice_and_stays_on_site(client, requester):
    client.force_login(requester)
    response = client.post(reverse("accounts:language"), {"language": "zh-hans", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    requester.refresh_from_db()
    assert requester.language == "zh-hans"


def test_token_secret_is_shown_once_and_stored_hashed(client, agent):
    client.force_login(agent)
    response = client.post(reverse("accounts:tokens"), {"name": "monitoring", "lifetime": "30"})
    secret = response.context["secret"]
    token = ApiToken.objects.get(user=agent)
    assert token.key_hash == hash_token(secret) and secret not in token.hint + token.key_hash
    assert secret not in client.get(reverse("accounts:tokens")).content.decode()
    api = client.get("/api/teams", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code != 401


def test_only_own_tokens_can_be_revoked(client, agent, requester):
    client.force_login(agent)
    client.post(reverse("accounts:tokens"), {"name": "ci"})
    token = ApiToken.objects.get(user=agent)
    client.force_login(requester)
    assert client.post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 404
    client.force_login(agent)
    client.post(reverse("accounts:revoke_token", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
