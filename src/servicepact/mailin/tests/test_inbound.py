"""Inbound mail read from a real IMAP server (Debian's Dovecot, started by the tests)."""

import pytest
from django.test import Client

from servicepact.accounts.models import Membership, Role, User
from servicepact.accounts.tokens import create_token
from servicepact.desk.models import Attachment, Ticket
from servicepact.mailin.actions import process_message
from servicepact.mailin.models import InboundMessage, InboundStatus, UnknownSenders
from servicepact.mailin.reading import MailboxUnavailable, read_mailbox
from servicepact.mailin.tasks import read_mail
from servicepact.mailin.tests.conftest import DESK, imap_server, mail, mailbox_for  # noqa: F401
from servicepact.notify.models import Outbox

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def mailbox(world, imap_server):  # noqa: F811
    box = mailbox_for(world, imap_server)
    # Each test reads only what it delivers: start after what earlier tests left in the folder.
    read_mailbox(box)
    InboundMessage.objects.filter(mailbox=box).delete()
    box.refresh_from_db()
    return box


def deliver_and_read(server, raw: bytes) -> list[InboundMessage]:
    server.deliver(DESK, raw)
    read_mail.call()
    return list(InboundMessage.objects.order_by("-id")[:1])


def test_a_known_sender_opens_a_ticket_with_its_attachments_and_replies_thread_into_it(world, mailbox, imap_server):  # noqa: F811
    requester = world.people["requester"]
    raw, message_id = mail(
        f"Rita Requester <{requester.email.upper()}>",
        "VPN refuses my token",
        "Since this morning the VPN says my token is invalid.",
        attachments=[("error.pdf", "application/pdf", PDF), ("tool.exe", "application/x-msdownload", b"MZ\x90\x00")],
    )
    [message] = deliver_and_read(imap_server, raw)
    assert bytes(message.raw) == raw  # stored as it came
    assert message.status == InboundStatus.TICKET, message.outcome
    ticket = message.ticket
    assert (ticket.title, ticket.requester, ticket.contract) == ("VPN refuses my token", requester, world.contract)
    assert "token is invalid" in ticket.description
    assert list(Attachment.objects.filter(ticket=ticket).values_list("filename", flat=True)) == ["error.pdf"]
    assert "tool.exe" in message.outcome and "not accepted" in message.outcome

    # A reply that names the first mail in In-Reply-To joins the ticket.
    raw, _ = mail(requester.email, "Re: VPN refuses my token", "It works again.", headers={"In-Reply-To": message_id})
    [answer] = deliver_and_read(imap_server, raw)
    assert (answer.status, answer.ticket) == (InboundStatus.REPLY, ticket)
    # So does one with the ticket's number in its subject, from a colleague who follows it.
    manager = world.people["customer-manager"]
    raw, _ = mail(manager.email, f"Re: [{ticket.number}] VPN", "Same for me.")
    [other] = deliver_and_read(imap_server, raw)
    assert (other.status, other.ticket) == (InboundStatus.REPLY, ticket), other.outcome
    assert Ticket.objects.filter(contract=world.contract).count() == 1
    bodies = [event.data.get("body") for event in ticket.events.filter(type="replied")]
    assert bodies == ["It works again.", "Same for me."]


def test_an_answer_to_a_notice_comes_back_to_its_ticket(world, mailbox, imap_server, settings):  # noqa: F811
    settings.DEFAULT_FROM_EMAIL = "desk@northwind.example"
    requester = world.people["requester"]
    raw, _ = mail(requester.email, "Scanner offline")
    [first] = deliver_and_read(imap_server, raw)
    # The notices servicepact sends about the ticket refer to its thread id; the answer keeps it.
    thread = f"<ticket-{first.ticket.number}@northwind.example>"
    raw, _ = mail(requester.email, "Re: your notice", "Thanks, it is back.", headers={"References": thread})
    [answer] = deliver_and_read(imap_server, raw)
    assert (answer.status, answer.ticket) == (InboundStatus.REPLY, first.ticket)
    # The same id with another domain is not ours.
    raw, _ = mail(requester.email, "Re: elsewhere", headers={"References": f"<ticket-{first.ticket.number}@x.example>"})
    [other] = deliver_and_read(imap_server, raw)
    assert other.status == InboundStatus.TICKET and other.ticket != first.ticket


@pytest.mark.parametrize(
    "sender,headers,content_type",
    [
        ("requester@example.test", {"Auto-Submitted": "auto-replied"}, None),
        ("requester@example.test", {"X-Autoreply": "yes"}, None),
        ("requester@example.test", {"Precedence": "bulk"}, None),
        ("MAILER-DAEMON@mail.example", {}, None),
        ("postmaster@mail.example", {}, "multipart/report"),
        (DESK, {}, None),
    ],
    ids=["auto-submitted", "x-autoreply", "bulk", "mailer-daemon", "delivery-report", "loop"],
)
def test_automatic_replies_bounces_and_loops_open_no_ticket(world, mailbox, imap_server, sender, headers, content_type):  # noqa: F811
    if content_type:
        raw = (
            f"From: {sender}\r\nTo: {DESK}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
            f"Content-Type: {content_type}; report-type=delivery-status; boundary=b1\r\n\r\n"
            "--b1\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
            "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example\r\n"
            "--b1--\r\n"
        ).encode()
    else:
        raw, _ = mail(sender, "Out of office", headers=headers)
    [message] = deliver_and_read(imap_server, raw)
    assert message.status == InboundStatus.IGNORED, message.outcome
    assert not Ticket.objects.exists() and not Outbox.objects.exists()


def test_an_unknown_sender_is_refused_politely_or_becomes_a_requester_as_the_mailbox_says(world, mailbox, imap_server):  # noqa: F811
    raw, _ = mail("Nora New <nora@globex.example>", "Printer jammed")
    [message] = deliver_and_read(imap_server, raw)
    assert message.status == InboundStatus.REFUSED
    [refusal] = Outbox.objects.all()
    assert refusal.recipients == ["nora@globex.example"] and "Printer jammed" in refusal.subject
    assert not User.objects.filter(email="nora@globex.example").exists()

    mailbox.unknown_senders = UnknownSenders.CREATE
    mailbox.save()
    raw, _ = mail("Nora New <nora@globex.example>", "Printer still jammed")
    [message] = deliver_and_read(imap_server, raw)
    assert message.status == InboundStatus.TICKET, message.outcome
    nora = User.objects.get(email="nora@globex.example")
    assert (nora.organization, nora.full_name, nora.has_usable_password()) == (world.customer, "Nora New", False)
    assert Membership.objects.filter(user=nora, role=Role.REQUESTER).exists()
    assert message.ticket.requester == nora


def test_a_failure_keeps_the_mail_for_another_try(world, mailbox, imap_server):  # noqa: F811
    mailbox.service = world.other_contract.services.get()  # a service of another contract: refused
    mailbox.save()
    raw, _ = mail(world.people["requester"].email, "Keyboard")
    [message] = deliver_and_read(imap_server, raw)
    assert message.status == InboundStatus.FAILED and message.tries == 1
    assert not Ticket.objects.exists()
    mailbox.service = world.services["sso"]
    mailbox.save()
    message.refresh_from_db()
    message = process_message(message)
    assert message.status == InboundStatus.TICKET and message.tries == 2


def test_a_mailbox_that_cannot_be_read_keeps_its_error(world, mailbox):
    mailbox.password = "wrong"
    with pytest.raises(MailboxUnavailable):
        read_mailbox(mailbox)
    mailbox.refresh_from_db()
    assert "AUTHENTICATIONFAILED" in mailbox.last_error or "failed" in mailbox.last_error.lower()


def test_the_providers_administrator_lists_and_retries_mail_through_the_api(world, mailbox, imap_server):  # noqa: F811
    mailbox.service = world.other_contract.services.get()
    mailbox.save()
    raw, _ = mail(world.people["requester"].email, "Mouse")
    [message] = deliver_and_read(imap_server, raw)
    assert message.status == InboundStatus.FAILED
    _token, secret = create_token(actor=world.people["administrator"], name="mail")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    [listed] = client.get("/api/mail/inbound", {"status": "failed"}).json()
    assert (listed["id"], listed["subject"], listed["ticket"]) == (message.pk, "Mouse", None)
    type(mailbox).objects.filter(pk=mailbox.pk).update(service=world.services["sso"])
    retried = client.post(f"/api/mail/inbound/{message.pk}/retry")
    assert retried.status_code == 200, retried.content
    assert retried.json()["status"] == "ticket" and retried.json()["ticket"].startswith("INC")
    again = client.post(f"/api/mail/inbound/{message.pk}/retry")
    assert again.status_code in (409, 422)  # only a failed mail is tried again
