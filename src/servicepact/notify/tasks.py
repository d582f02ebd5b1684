"""Background work of the outbox."""

from django_tasks import task

from servicepact.notify.sending import send_pending_messages


@task()
def send_pending() -> dict[str, int]:
    """Send the messages whose turn has come; queued after every commit that adds one."""
    result = send_pending_messages()
    return {"sent": result.sent, "retried": result.retried, "failed": result.failed}
