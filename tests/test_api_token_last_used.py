"""A token's last use is kept to the minute: one write a minute per token, not one per request."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicepact.accounts.models import ApiToken
from servicepact.accounts.tokens import create_token
from tests.api_client import client_as


def token_writes(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].startswith("UPDATE") and "apitoken" in query["sql"]]


def test_requests_within_a_minute_write_the_last_use_once(world):
    token, secret = create_token(actor=world.people["resolver"], name="script")
    client = client_as(None)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert client.get("/api/whoami", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert len(token_writes(queries.captured_queries)) == 1
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None and timezone.now() - first_use < timedelta(minutes=1)

    # A minute later the next request, a GET too, records the new use.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(seconds=61))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/whoami", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert len(token_writes(queries.captured_queries)) == 1
    token.refresh_from_db()
    assert token.last_used_at >= first_use
