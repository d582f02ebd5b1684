"""Background work of outgoing webhooks."""

from django_tasks import task

from servicepact.webhooks.sending import send_due


@task()
def deliver_pending() -> dict[str, int]:
    """Post the deliveries whose turn has come; queued after every commit that adds one, and periodically."""
    result = send_due()
    return {"delivered": result.delivered, "retried": result.retried, "failed": result.failed}
