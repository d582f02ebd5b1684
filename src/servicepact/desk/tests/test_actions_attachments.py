"""Attachments: size limit, accepted types judged by content, the event's record of the file."""

import hashlib
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from servicepact.desk import actions
from servicepact.desk.models import Attachment, EventType
from servicepact.refusals import ActionRefused

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def quick_password_hashing(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ticket(world):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Error dialog",
        impact="low",
        urgency="low",
        at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )


def test_attachment_is_stored_and_recorded(ticket, requester):
    event = actions.add_attachment(ticket, actor=requester, upload=SimpleUploadedFile("screen.png", PNG, "image/png"))
    assert event.type == EventType.ATTACHMENT and event.public
    assert event.data == {
        "filename": "screen.png",
        "size": len(PNG),
        "sha256": hashlib.sha256(PNG).hexdigest(),
        "content_type": "image/png",
        "attachment": event.data["attachment"],
    }
    stored = Attachment.objects.get(pk=event.data["attachment"])
    assert stored.file.read() == PNG and stored.uploaded_by == requester


def test_too_large_file_names_file_and_limit(ticket, requester, settings):
    settings.SERVICEPACT_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ActionRefused) as refused:
        actions.add_attachment(ticket, actor=requester, upload=SimpleUploadedFile("screen.png", PNG, "image/png"))
    assert "screen.png" in refused.value.message and "10 bytes" in refused.value.message
    assert not Attachment.objects.exists() and ticket.events.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "declared", "expected"),
    [
        ("tool.exe", b"MZ\x90\x00", "application/x-msdownload", "not accepted"),
        ("photo.png", b"MZ\x90\x00 not a picture", "image/png", "does not start like a image/png"),
        ("report.xlsx", b"%PDF-1.7", XLSX_MIME, "not a ZIP container"),
        ("log.txt", b"abc\x00\x01", "text/plain", "binary data"),
        ("data.json", b"{broken", "application/json", "not valid JSON"),
    ],
)
def test_declared_type_must_match_content(ticket, requester, name, content, declared, expected):
    with pytest.raises(ActionRefused) as refused:
        actions.add_attachment(ticket, actor=requester, upload=SimpleUploadedFile(name, content, declared))
    assert name in refused.value.message and expected in refused.value.message
    assert refused.value.errors == {"upload": [refused.value.message]}


def test_accepted_content_of_several_types(ticket, agent):
    for name, content, declared in [
        ("a.pdf", b"%PDF-1.4 ...", "application/pdf"),
        ("b.xlsx", b"PK\x03\x04rest", XLSX_MIME),
        ("c.csv", "name;城市\nA;上海\n".encode(), "text/csv"),
        ("d.json", b'{"ok": true}', "application/json"),
    ]:
        actions.add_attachment(ticket, actor=agent, upload=SimpleUploadedFile(name, content, declared))
    assert Attachment.objects.count() == 4


def test_private_attachments_are_for_staff(ticket, requester, agent):
    with pytest.raises(PermissionDenied):
        actions.add_attachment(
            ticket, actor=requester, upload=SimpleUploadedFile("a.png", PNG, "image/png"), public=False
        )
    event = actions.add_attachment(
        ticket, actor=agent, upload=SimpleUploadedFile("a.png", PNG, "image/png"), public=False
    )
    assert event.public is False and Attachment.objects.get().public is False
