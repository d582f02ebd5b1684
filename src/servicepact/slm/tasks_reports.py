"""Scheduled reporting: the scheduler fires ``generate_due_reports`` every hour (runtime/periodic.py)."""

import logging
from datetime import datetime

from django.utils import timezone
from django_tasks import task

from servicepact.slm.reporting.delivery import plan_deliveries, send_pending_deliveries
from servicepact.slm.reporting.generation import generate_report
from servicepact.slm.reporting.schedule import due_requests

logger = logging.getLogger(__name__)


def generate_due(now: datetime) -> dict[str, int]:
    """Store every report whose period ended by ``now`` and is not stored yet, then mail the new ones.

    Safe to run twice or in two workers at once: a period's original report is unique, and the loser of
    a race gets the winner's report back.
    """
    generated = failed = 0
    for request in due_requests(now):
        try:
            report = generate_report(request, now=now)
        except Exception:  # one contract's bad history must not stop the others' reports
            logger.exception("cannot generate the %s report %s of %s", request.kind, request.period_label,
                             request.contract.slug)
            failed += 1
            continue
        plan_deliveries(report, now)
        generated += 1
    return {"generated": generated, "failed": failed, **send_pending_deliveries()}


@task()
def generate_due_reports(now: str | None = None) -> dict[str, int]:
    """``now`` is an ISO 8601 instant (tests and catching up); the scheduler passes nothing: now."""
    return generate_due(datetime.fromisoformat(now) if now else timezone.now())
