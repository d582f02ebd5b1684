"""Each API token has its own rate limit: past it, 429 as a problem document with Retry-After."""

import pytest
from django.core.cache import cache
from django.test import Client

from servicepact.accounts.tokens import create_token


@pytest.fixture(autouse=True)
def three_a_minute(settings):
    settings.SERVICEPACT_API_TOKEN_REQUESTS_PER_MINUTE = 3
    cache.clear()
    yield
    cache.clear()


def test_a_token_past_its_rate_gets_429_with_retry_after_and_another_token_is_unaffected(world):
    _token, secret = create_token(actor=world.people["agent"], name="monitoring")
    _other, other_secret = create_token(actor=world.people["agent"], name="reports")
    client = Client()
    statuses = [client.get("/api/whoami", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]

    refused = client.get("/api/tickets", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["title"] == "Too many requests" and refused.json()["status"] == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Per token: the same person's other token still works, and so does their browser session.
    assert client.get("/api/whoami", HTTP_AUTHORIZATION=f"Bearer {other_secret}").status_code == 200
    session = Client()
    session.force_login(world.people["agent"])
    assert [session.get("/api/whoami").status_code for _ in range(5)] == [200] * 5
