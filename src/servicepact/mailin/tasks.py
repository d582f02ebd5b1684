"""Background work of inbound mail: read every enabled mailbox, then read what it stored."""

from django_tasks import task

from servicepact.mailin.actions import process_pending
from servicepact.mailin.models import Mailbox
from servicepact.mailin.reading import MailboxUnavailable, read_mailbox


@task()
def read_mail() -> dict[str, int]:
    counts = {"mailboxes": 0, "unavailable": 0, "messages": 0}
    for mailbox in Mailbox.objects.filter(enabled=True).select_related("contract"):
        counts["mailboxes"] += 1
        try:
            read_mailbox(mailbox)
        except MailboxUnavailable:
            counts["unavailable"] += 1  # its error is on the mailbox; what it stored before is still read
        counts["messages"] += len(process_pending(mailbox))
    return counts
