"""Scheduled reporting: the scheduler fires ``generate_due_reports`` every hour (runtime/periodic.py)."""

import logging
import time
from collections.abc import Mapping
from contextlib import nullcontext
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from servicepact.notify.actions import silenced
from servicepact.slm.reporting.delivery import plan_deliveries, settle_deliveries
from servicepact.slm.reporting.generation import generate_report
from servicepact.slm.reporting.schedule import due_requests

logger = logging.getLogger(__name__)

# A scheduled run generates reports for about this long, then leaves the rest to a new run queued after a
# pause as long as its own work, behind every other task (a low priority): a worker catching up on many
# overdue reports (after a stop, or over a large history) never holds up mail and clock sweeps, and takes
# at most half a processor from the web processes (which the worker's nice value favours as well).
RUN_BUDGET = timedelta(seconds=20)


def generate_due(
    now: datetime, *, backfill: Mapping[str, int] | None = None, budget: timedelta | None = None
) -> dict[str, int]:
    """Store every report whose period ended by ``now`` and is not stored yet, and queue the new ones'
    mail in the outbox (which sends it); read back which earlier mailings went out or were given up.

    Safe to run twice or in two workers at once: a period's original report is unique, and the loser of
    a race gets the winner's report back.

    ``backfill`` (periods to look back per kind, e.g. ``{"weekly": 26}``) replaces the schedule's few
    recent periods, to store the reports of a history loaded at once; those reports are history, not
    news, so they are stored without mailing them or telling webhooks.

    ``budget``: stop starting reports once this much time has gone (at least one is generated); the
    result's ``remaining`` counts those left for the next run.
    """
    generated = failed = remaining = mailed = 0
    started = time.monotonic()
    requests = due_requests(now) if backfill is None else due_requests(now, backfill)
    for position, request in enumerate(requests):
        if budget is not None and position and time.monotonic() - started >= budget.total_seconds():
            remaining = len(requests) - position
            break
        try:
            with silenced() if backfill is not None else nullcontext():
                report = generate_report(request, now=now)
        except Exception:  # one contract's bad history must not stop the others' reports
            logger.exception(
                "cannot generate the %s report %s of %s", request.kind, request.period_label, request.contract.slug
            )
            failed += 1
            continue
        if backfill is None:
            mailed += len(plan_deliveries(report, now))
        generated += 1
    return {"generated": generated, "failed": failed, "remaining": remaining, "mailed": mailed, **settle_deliveries()}


@task(priority=-10)
def generate_due_reports(now: str | None = None) -> dict[str, int]:
    """``now`` is an ISO 8601 instant (tests and catching up); the scheduler passes nothing: now."""
    started = timezone.now()
    result = generate_due(datetime.fromisoformat(now) if now else started, budget=RUN_BUDGET)
    if result["remaining"]:
        finished = timezone.now()
        generate_due_reports.using(run_after=finished + (finished - started)).enqueue(now)
    return result
