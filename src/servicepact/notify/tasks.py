"""Background work of the outbox."""

from django.db.models import Min
from django_tasks import task

from servicepact.notify.models import Outbox, OutboxStatus
from servicepact.notify.sending import send_pending_messages
from servicepact.runtime.queueing import enqueue_unless_waiting, run_started


@task()
def send_pending() -> dict[str, int]:
    """Send the messages whose turn has come; queued after every commit that adds one.

    Then it wakes itself for the next message's turn: a retry after a failure, or a message whose sender
    died while sending it, once that sender's lease ends (the periodic job is only the safety net).
    """
    run_started(send_pending)  # a message committed from now on needs another run
    result = send_pending_messages()
    following = Outbox.objects.filter(status=OutboxStatus.PENDING).aggregate(at=Min("next_attempt_at"))["at"]
    if following is not None:
        enqueue_unless_waiting(send_pending, at=following)
    return {"sent": result.sent, "retried": result.retried, "failed": result.failed}
