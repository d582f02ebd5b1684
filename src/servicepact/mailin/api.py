"""Inbound mail in the API: what the mailboxes received and became, and another try of a failed mail."""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from servicepact.mailin.actions import retry_message
from servicepact.mailin.models import InboundMessage, InboundStatus
from servicepact.permissions.administration import is_administrator
from servicepact.permissions.declared import allow, on_object
from servicepact.permissions.mailin import can_retry_mail

router = Router(tags=["mail"])
LIMIT = 200


class InboundOut(Schema):
    id: int
    mailbox: str
    received_at: datetime
    sender: str
    subject: str
    message_id: str
    status: str
    outcome: str
    tries: int
    ticket: str | None

    @staticmethod
    def resolve_mailbox(message: InboundMessage) -> str:
        return message.mailbox.address

    @staticmethod
    def resolve_ticket(message: InboundMessage) -> str | None:
        return message.ticket.number if message.ticket_id else None


def visible_message(request: HttpRequest, message_id: str) -> InboundMessage:
    if not str(message_id).isascii() or not str(message_id).isdigit() or len(str(message_id)) > 18:
        raise Http404("No such mail.")
    return get_object_or_404(
        InboundMessage.objects.visible_to(request.auth).select_related("mailbox", "ticket"), pk=int(message_id)
    )


@router.get(
    "/mail/inbound", response=list[InboundOut], summary="Mail the mailboxes received", operation_id="list_inbound_mail"
)
@allow(is_administrator, "The administrators of the provider of the mailbox's contract.")
def list_inbound_mail(request: HttpRequest, status: InboundStatus | None = None):
    found = InboundMessage.objects.visible_to(request.auth).select_related("mailbox", "ticket").defer("raw")
    if status:
        found = found.filter(status=status)
    return found[:LIMIT]


@router.post(
    "/mail/inbound/{message_id}/retry",
    response=InboundOut,
    summary="Try a failed mail again",
    operation_id="retry_inbound_mail",
)
@on_object(
    "message_id", "message", visible_message, can_retry_mail, "The provider's administrators; a failed mail only."
)
def retry_inbound_mail(request: HttpRequest, message: InboundMessage):
    return retry_message(message, actor=request.auth)
