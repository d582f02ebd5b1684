"""Scheduled reporting: the scheduler fires ``generate_due_reports`` every hour (runtime/periodic.py)."""

import logging
from collections.abc import Mapping
from datetime import datetime

from django.utils import timezone
from django_tasks import task

from servicepact.slm.reporting.delivery import plan_deliveries, send_pending_deliveries
from servicepact.slm.reporting.generation import generate_report
from servicepact.slm.reporting.schedule import due_requests

logger = logging.getLogger(__name__)


def generate_due(now: datetime, *, backfill: Mapping[str, int] | None = None) -> dict[str, int]:
    """Store every report whose period ended by ``now`` and is not stored yet, then mail the new ones.

    Safe to run twice or in two workers at once: a period's original report is unique, and the loser of
    a race gets the winner's report back.

    ``backfill`` (periods to look back per kind, e.g. ``{"weekly": 26}``) replaces the schedule's few
    recent periods, to store the reports of a history loaded at once; those reports are history, not
    news, so they are stored without mailing them.
    """
    generated = failed = 0
    requests = due_requests(now) if backfill is None else due_requests(now, backfill)
    for request in requests:
        try:
            report = generate_report(request, now=now)
        except Exception:  # one contract's bad history must not stop the others' reports
            logger.exception(
                "cannot generate the %s report %s of %s", request.kind, request.period_label, request.contract.slug
            )
            failed += 1
            continue
        if backfill is None:
            plan_deliveries(report, now)
        generated += 1
    return {"generated": generated, "failed": failed, **send_pending_deliveries()}


@task()
def generate_due_reports(now: str | None = None) -> dict[str, int]:
    """``now`` is an ISO 8601 instant (tests and catching up); the scheduler passes nothing: now."""
    return generate_due(datetime.fromisoformat(now) if now else timezone.now())
