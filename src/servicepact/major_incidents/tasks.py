"""Background work of major incidents: reminding the person who runs one that an update to the customer is due."""

from django.utils import timezone
from django_tasks import task

from servicepact.major_incidents.actions import remind_overdue_updates


@task()
def remind_updates() -> dict[str, int]:
    """Remind the declarer of every active major incident whose next update is overdue; safe to run twice
    (one reminder per due time)."""
    return {"reminded": remind_overdue_updates(now=timezone.now())}
