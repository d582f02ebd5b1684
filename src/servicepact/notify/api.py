"""Notices in the API: one's own notices, newest first, and marking them read."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from servicepact.notify import notices
from servicepact.notify.models import Notice
from servicepact.permissions.declared import allow, anyone_signed_in
from servicepact.request_bodies import InputSchema

router = Router(tags=["notices"])
LIST_LIMIT = 200


class NoticeOut(Schema):
    id: int
    text: str
    ticket: str | None = Field(None, description="The ticket's number, when the notice is about one.")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_ticket(notice) -> str | None:
        return notice.ticket.number if notice.ticket_id else None


class NoticesOut(Schema):
    unread: int
    notices: list[NoticeOut]


class ReadIn(InputSchema):
    ids: list[int] | None = Field(None, max_length=1000, description="The notices to mark read; all when left out.")


class ReadOut(Schema):
    marked: int


@router.get("/notices", response=NoticesOut, summary="One's notices, newest first", operation_id="list_notices")
@allow(anyone_signed_in, "Anyone signed in: their own notices.")
def list_notices(request: HttpRequest, unread_only: bool = False):
    own = Notice.objects.visible_to(request.auth).select_related("ticket")
    rows = own.filter(read_at__isnull=True) if unread_only else own
    return {"unread": own.filter(read_at__isnull=True).count(), "notices": list(rows[:LIST_LIMIT])}


@router.post("/notices/read", response=ReadOut, summary="Mark one's notices read", operation_id="mark_notices_read")
@allow(anyone_signed_in, "Anyone signed in: their own notices.")
def mark_notices_read(request: HttpRequest, body: ReadIn):
    return {"marked": notices.mark_read(actor=request.auth, notice_ids=body.ids)}
