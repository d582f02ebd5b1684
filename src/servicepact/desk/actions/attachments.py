"""Files on a ticket: checked for size and real type, stored, recorded with their SHA-256."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.desk.actions.file_types import content_mismatch
from servicepact.desk.actions.recording import append, refuse, ticket_write
from servicepact.desk.models import Attachment, EventType, Status, Ticket, TicketEvent
from servicepact.permissions import can_reply, can_see_internal

FILENAME_MAX = 255


def add_attachment(
    ticket: Ticket, *, actor: User, upload, public: bool = True, at: datetime | None = None
) -> TicketEvent:
    """Attach an uploaded file (Django ``UploadedFile`` or any ``File``); private files are internal."""
    allowed = can_see_internal(actor, ticket) if not public else can_reply(actor, ticket)
    if not allowed:
        raise PermissionDenied(_("You may not attach files to this ticket."))
    filename = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1].strip()
    if not filename:
        refuse(_("The file has no name."), "upload")
    if len(filename) > FILENAME_MAX:
        refuse(
            _("The file name %(name)s is longer than %(limit)d characters.")
            % {"name": filename[:40], "limit": FILENAME_MAX},
            "upload",
        )
    limit = settings.SERVICEPACT_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        refuse(
            _("%(name)s has %(size)d bytes; the limit is %(limit)d bytes.")
            % {"name": filename, "size": upload.size, "limit": limit},
            "upload",
        )
    content = _read_limited(upload, limit)
    if len(content) > limit:
        refuse(
            _("%(name)s is larger than the limit of %(limit)d bytes.") % {"name": filename, "limit": limit}, "upload"
        )
    declared = (getattr(upload, "content_type", None) or "").split(";")[0].strip().lower()
    allowed_types = settings.SERVICEPACT_ATTACHMENT_TYPES
    if declared not in allowed_types:
        refuse(
            _("%(name)s is of type %(type)s, which is not accepted; accepted types: %(allowed)s.")
            % {"name": filename, "type": declared or "unknown", "allowed": ", ".join(allowed_types)},
            "upload",
        )
    mismatch = content_mismatch(declared, content)
    if mismatch:
        refuse(
            _("%(name)s is declared as %(type)s, but %(why)s.") % {"name": filename, "type": declared, "why": mismatch},
            "upload",
        )
    digest = hashlib.sha256(content).hexdigest()
    with ticket_write(ticket, at) as (locked, at):
        if locked.status == Status.CLOSED:
            refuse(_("The ticket is closed; a closed ticket never changes."), "status", 409)
        attachment = Attachment(
            ticket=locked,
            filename=filename,
            content_type=declared,
            size=len(content),
            sha256=digest,
            public=public,
            uploaded_by=actor,
            uploaded_at=at,
        )
        attachment.file.save(filename, ContentFile(content), save=False)
        attachment.save()
        event = append(
            locked,
            EventType.ATTACHMENT,
            at=at,
            actor=actor,
            public=public,
            data={
                "filename": filename,
                "size": len(content),
                "sha256": digest,
                "content_type": declared,
                "attachment": attachment.pk,
            },
        )
    return event


def _read_limited(upload, limit: int) -> bytes:
    """The file's bytes, reading at most one byte past the limit (a declared size may lie)."""
    upload.seek(0)
    chunks: list[bytes] = []
    total = 0
    for chunk in upload.chunks():
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            break
    return b"".join(chunks)
