"""Background work of the outbox."""

from django_tasks import task

from servicepact.notify.sending import send_pending_messages
from servicepact.runtime.queueing import run_started


@task()
def send_pending() -> dict[str, int]:
    """Send the messages whose turn has come; queued after every commit that adds one."""
    run_started(send_pending)  # a message committed from now on needs another run
    result = send_pending_messages()
    return {"sent": result.sent, "retried": result.retried, "failed": result.failed}
