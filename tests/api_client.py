"""Calling the API in tests as a given person of the ``world`` fixture."""

import json

from django.test import Client

from servicepact.accounts.models import User


def client_as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post_json(client: Client, url: str, body: dict | None = None, **extra):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **extra)


def problem_fields(response) -> set[str]:
    """The fields named by a problem+json answer's ``errors``."""
    assert response["Content-Type"] == "application/problem+json", response.content
    return {error["field"] for error in response.json().get("errors", [])}
