"""Reading a mailbox over IMAP: every new mail is stored as it came, committed, before anything reads it.

The folder's UIDVALIDITY and the highest UID stored say where the last read ended; a stored mail is
marked seen on the server (never deleted: the mailbox stays the customer's record too). A server that
cannot be reached leaves the error on the mailbox and the next turn tries again.
"""

import imaplib
import re
from email import policy
from email.parser import BytesHeaderParser
from email.utils import parseaddr

from django.utils import timezone

from servicepact.mailin.models import InboundMessage, Mailbox

TIMEOUT_SECONDS = 30
UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


class MailboxUnavailable(Exception):
    """The IMAP server could not be reached, or refused the login or the folder."""


def _headers(raw: bytes) -> dict[str, str]:
    parsed = BytesHeaderParser(policy=policy.default).parsebytes(raw)

    def header(name: str) -> str:
        try:
            return str(parsed.get(name, "") or "")
        except (ValueError, TypeError, IndexError):  # a header the parser cannot make sense of
            return ""

    return {
        "message_id": header("Message-ID").strip()[:998],
        "sender": parseaddr(header("From"))[1][:320],
        "subject": " ".join(header("Subject").split())[:300],
    }


def read_mailbox(mailbox: Mailbox) -> list[InboundMessage]:
    """Stores the mails that arrived since the last read; returns them. MailboxUnavailable on failure."""
    connect = imaplib.IMAP4_SSL if mailbox.use_ssl else imaplib.IMAP4
    stored: list[InboundMessage] = []
    try:
        with connect(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS) as imap:
            imap.login(mailbox.username, mailbox.password)
            status, _data = imap.select(f'"{mailbox.folder}"')
            if status != "OK":
                raise MailboxUnavailable(f"{mailbox.folder}: no such folder")
            _status, responses = imap.status(f'"{mailbox.folder}"', "(UIDVALIDITY)")
            validity = int(UIDVALIDITY.search(responses[0]).group(1))
            last_uid = mailbox.last_uid if validity == mailbox.uid_validity else 0
            _status, found = imap.uid("SEARCH", None, f"UID {last_uid + 1}:*")
            for uid in sorted(int(value) for value in found[0].split() if int(value) > last_uid):
                _status, fetched = imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
                raw = next(part[1] for part in fetched if isinstance(part, tuple))
                message, _created = InboundMessage.objects.get_or_create(
                    mailbox=mailbox,
                    uid_validity=validity,
                    uid=uid,
                    defaults={"raw": raw, "received_at": timezone.now(), **_headers(raw)},
                )
                stored.append(message)
                Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=uid)
                imap.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
    except (TimeoutError, imaplib.IMAP4.error, OSError, AttributeError, StopIteration) as problem:
        error = f"{mailbox.host}:{mailbox.port}: {type(problem).__name__}: {problem}"
        Mailbox.objects.filter(pk=mailbox.pk).update(last_error=error)
        raise MailboxUnavailable(error) from problem
    Mailbox.objects.filter(pk=mailbox.pk).update(last_read_at=timezone.now(), last_error="")
    return stored
