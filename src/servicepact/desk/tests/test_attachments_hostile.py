"""Attachments of hostile JSON: refused with a message naming the file, never a RecursionError (a 1,500-deep
JSON file was one); valid JSON with more digits than int() converts is still JSON."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicepact.desk import actions
from servicepact.desk.models import Attachment
from servicepact.refusals import ActionRefused
from tests.api_client import client_as


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ticket(world):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Export fails",
        impact="low",
        urgency="low",
        at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 1500 + b"]" * 1500, "nests too deep"),
        (b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, "nests too deep"),
        (b"[NaN]", "not valid JSON"),
        (b'{"a": Infinity}', "not valid JSON"),
    ],
)
def test_hostile_json_is_refused_naming_the_file(ticket, requester, content, expected):
    with pytest.raises(ActionRefused) as refused:
        actions.add_attachment(
            ticket, actor=requester, upload=SimpleUploadedFile("data.json", content, "application/json")
        )
    assert "data.json" in refused.value.message and expected in refused.value.message
    assert not Attachment.objects.exists() and ticket.events.count() == 1


def test_json_with_long_numbers_is_json(ticket, requester):
    content = b'{"serial": ' + b"9" * 5000 + b', "ratio": 0.' + b"3" * 5000 + b"}"
    actions.add_attachment(ticket, actor=requester, upload=SimpleUploadedFile("data.json", content, "application/json"))
    assert Attachment.objects.count() == 1


def test_the_api_answers_a_deep_json_attachment_with_a_problem(ticket, requester):
    upload = SimpleUploadedFile("deep.json", b"[" * 1500 + b"]" * 1500, "application/json")
    response = client_as(requester).post(f"/api/tickets/{ticket.number}/attachments", {"upload": upload})
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "nests too deep" in response.json()["detail"]
    assert not Attachment.objects.exists()
