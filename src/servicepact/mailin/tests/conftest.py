"""A mailbox of Globex's contract on a Dovecot the tests start, and mails written as people write them."""

from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from servicepact.mailin.models import Mailbox
from servicepact.mailin.tests.dovecot import dovecot

DESK = "servicedesk@globex.example"
DESK_PASSWORD = "imap-secret"


@pytest.fixture(scope="module")
def imap_server():
    with dovecot({DESK: DESK_PASSWORD}) as server:
        yield server


def mailbox_for(world, server, **fields) -> Mailbox:
    fields.setdefault("service", world.services["sso"])
    return Mailbox.objects.create(
        contract=world.contract,
        name="Globex service desk",
        address=DESK,
        host=server.host,
        port=server.port,
        use_ssl=False,
        username=DESK,
        password=DESK_PASSWORD,
        **fields,
    )


def mail(
    sender: str,
    subject: str,
    body: str = "Please help.",
    *,
    headers: dict | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
) -> tuple[bytes, str]:
    """The raw mail and its Message-ID."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = DESK
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.example")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n")), message["Message-ID"]
