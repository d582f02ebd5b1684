"""Turning a stored mail into a ticket or a reply: every write of inbound mail.

A mail is first checked for what must never become a ticket: automatic replies (Auto-Submitted,
X-Autoreply, Precedence bulk/junk/list), bounces (delivery reports, the mailer daemon) and loops (mail
from the mailbox's own address or the service's). A mail that answers a ticket (its In-Reply-To or
References name a mail stored with that ticket, or its subject names the ticket's number) is a reply on
it; any other opens a ticket of the mailbox's contract. The sender is the person with that address; an
unknown sender gets a polite refusal, or a requester account of the customer, as the mailbox says.
Attachments go through the ticket's own attachment action, under its limits; one it refuses is named in
the outcome and the rest of the mail still counts. A failure rolls everything of that mail back and
leaves it failed, with its error, for another try.
"""

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import override

from servicepact.accounts.identity import Described, create_person
from servicepact.accounts.models import Role, User
from servicepact.accounts.models.user import IdentitySource
from servicepact.desk.actions import add_attachment, create_ticket, reply
from servicepact.desk.actions.merging import survivor_of
from servicepact.desk.models import Ticket
from servicepact.mailin.models import InboundMessage, InboundStatus, Mailbox, UnknownSenders
from servicepact.notify.actions import enqueue_notification
from servicepact.notify.sending import mail_domain
from servicepact.refusals import ActionRefused

TICKET_NUMBER = re.compile(r"\b((?:INC|REQ)\d{7})\b")
MESSAGE_IDS = re.compile(r"<[^<>\s]+>")
THREAD_ID = re.compile(r"<ticket-((?:INC|REQ)\d{7})@([^<>\s]+)>")
TITLE_MAX = 200
MAX_TRIES = 5
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
DAEMONS = ("mailer-daemon", "postmaster")


def automatic(parsed: EmailMessage, mailbox: Mailbox, sender: str) -> str:
    """Why the mail is an automatic reply, a bounce or a loop; empty when it is a person's."""
    auto_submitted = str(parsed.get("Auto-Submitted", "") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"automatic reply (Auto-Submitted: {auto_submitted})"
    if parsed.get("X-Autoreply") or parsed.get("X-Autorespond"):
        return "automatic reply (X-Autoreply)"
    precedence = str(parsed.get("Precedence", "") or "").strip().lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return f"automatic mail (Precedence: {precedence})"
    if parsed.get_content_type() == "multipart/report" or sender.split("@")[0].lower() in DAEMONS or not sender:
        return "bounce (delivery report)"
    own = {mailbox.address.lower(), parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    if sender.lower() in own:
        return "loop (mail from this service's own address)"
    return ""


def threaded_ticket(parsed: EmailMessage, mailbox: Mailbox, subject: str) -> Ticket | None:
    """The ticket of the mailbox's contract that the mail answers, if any: named by the thread id of the
    notices servicepact sends, by a mail stored with a ticket, or by its number in the subject."""
    ids = MESSAGE_IDS.findall(f"{parsed.get('In-Reply-To', '')} {parsed.get('References', '')}")
    for found in ids:
        thread = THREAD_ID.fullmatch(found)
        if thread and thread.group(2) == mail_domain():
            ticket = Ticket.objects.filter(contract_id=mailbox.contract_id, number=thread.group(1)).first()
            if ticket is not None:
                return ticket
    if ids:
        earlier = (
            InboundMessage.objects.filter(mailbox__contract_id=mailbox.contract_id, message_id__in=ids)
            .exclude(ticket=None)
            .select_related("ticket")
            .order_by("-received_at")
            .first()
        )
        if earlier is not None:
            return earlier.ticket
    number = TICKET_NUMBER.search(subject)
    if number:
        return Ticket.objects.filter(contract_id=mailbox.contract_id, number=number.group(1)).first()
    return None


def body_text(parsed: EmailMessage) -> str:
    part = parsed.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    return text.strip()


def refuse_sender(message: InboundMessage, address: str, subject: str) -> None:
    mailbox = message.mailbox
    with override(settings.LANGUAGE_CODE):
        enqueue_notification(
            recipients=[address],
            subject=_("Re: %(subject)s") % {"subject": subject or _("your message")},
            body=_(
                "Hello,\n\nthank you for your message to %(mailbox)s. We can open tickets only for the people "
                "of our customers whose addresses we know, and we do not know yours. Please ask your IT "
                "department to register you, or write from your work address.\n\nKind regards,\nthe service desk"
            )
            % {"mailbox": mailbox.address},
            key=f"mailin-refusal:{message.pk}",
        )


def process_message(message: InboundMessage) -> InboundMessage:
    """Reads ``message`` and does what it asks; its status and outcome say what happened."""
    mailbox = message.mailbox
    try:
        with transaction.atomic():
            status, outcome, ticket = _process(message, mailbox)
    except (ActionRefused, PermissionDenied, ValueError, LookupError, TypeError) as problem:
        detail = getattr(problem, "message", None) or str(problem)
        InboundMessage.objects.filter(pk=message.pk).update(
            status=InboundStatus.FAILED, outcome=f"{type(problem).__name__}: {detail}", tries=message.tries + 1
        )
    else:
        InboundMessage.objects.filter(pk=message.pk).update(
            status=status, outcome=outcome, ticket=ticket, tries=message.tries + 1
        )
    message.refresh_from_db()
    return message


def _process(message: InboundMessage, mailbox: Mailbox) -> tuple[str, str, Ticket | None]:
    parsed = BytesParser(policy=policy.default).parsebytes(bytes(message.raw))
    name, sender = parseaddr(str(parsed.get("From", "") or ""))
    subject = " ".join(str(parsed.get("Subject", "") or "").split())
    reason = automatic(parsed, mailbox, sender)
    if reason:
        return InboundStatus.IGNORED, reason, None
    person = User.objects.filter(email__iexact=sender, is_active=True).select_related("organization").first()
    if person is None:
        known = User.objects.filter(email__iexact=sender).exists()
        if mailbox.unknown_senders == UnknownSenders.CREATE and not known:
            person = create_person(
                mailbox.contract.customer,
                Described(email=sender, external_id="", full_name=name),
                source=IdentitySource.LOCAL,
                role=Role.REQUESTER,
            )
        else:
            refuse_sender(message, sender, subject)
            return InboundStatus.REFUSED, f"unknown or inactive sender {sender}: refused by mail", None
    text = body_text(parsed)
    ticket = threaded_ticket(parsed, mailbox, subject)
    if ticket is not None:
        ticket = survivor_of(ticket)  # an answer about a merged duplicate goes on in the ticket that survived it
        reply(ticket, actor=person, body=text or subject)
        status, outcome = InboundStatus.REPLY, f"reply on {ticket.number}"
    else:
        ticket = create_ticket(
            actor=person,
            contract=mailbox.contract,
            service=mailbox.service,
            kind=mailbox.kind,
            title=(subject or _("(no subject)"))[:TITLE_MAX],
            impact=mailbox.impact,
            urgency=mailbox.urgency,
            description=text,
        )
        status, outcome = InboundStatus.TICKET, f"opened {ticket.number}"
    refused = []
    for part in parsed.iter_attachments():
        filename = part.get_filename() or "attachment"
        upload = SimpleUploadedFile(filename, part.get_payload(decode=True) or b"", part.get_content_type())
        try:
            with transaction.atomic():
                add_attachment(ticket, actor=person, upload=upload)
        except (ActionRefused, PermissionDenied) as problem:
            refused.append(f"{filename}: {getattr(problem, 'message', None) or problem}")
    if refused:
        outcome += "; attachments refused: " + "; ".join(refused)
    return status, outcome, ticket


def retry_message(message: InboundMessage, *, actor: User) -> InboundMessage:
    """Another try of a failed mail, asked for by a person who may see it."""
    if message.status != InboundStatus.FAILED:
        raise ActionRefused(
            _("Only a failed mail is tried again."), errors={"status": [_("Only a failed mail is tried again.")]}
        )
    return process_message(message)


def process_pending(mailbox: Mailbox) -> list[InboundMessage]:
    """Every stored mail of ``mailbox`` still to read, and failed ones that have tries left, oldest first."""
    waiting = InboundMessage.objects.filter(
        mailbox=mailbox, status=InboundStatus.PENDING
    ) | InboundMessage.objects.filter(mailbox=mailbox, status=InboundStatus.FAILED, tries__lt=MAX_TRIES)
    return [process_message(message) for message in waiting.select_related("mailbox").order_by("received_at", "id")]
