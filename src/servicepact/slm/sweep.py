"""The sweep: the clock changes that time alone brings (warnings reached, breaches), found and recorded.

Actions refresh a ticket's clocks when something happens to it; nothing happens when a clock simply
runs out. Each stored clock therefore says when to look again (``next_check_at``); the sweep takes the
rows whose moment has come, recomputes their ticket under its row lock, fires each threshold reached
and not yet fired, and stores the clocks with the thresholds fired and the next moment to look.

Safe to run twice at once: a ticket is taken under its row lock (skipped if another sweeper holds it,
on PostgreSQL; SQLite serialises writers), and whether a threshold was fired is read under that lock.
Never early: a threshold fires only once the kernel says it was reached. Late by at most the interval
between sweeps.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models.functions import Mod
from django.utils import timezone

from servicepact.desk.models import Ticket
from servicepact.slm.evaluation import as_epoch, ticket_clock_states
from servicepact.slm.live import store_clocks, stored_rows
from servicepact.slm.models import ClockState
from servicepact.slm.thresholds import reached_thresholds, unfired
from servicepact.slm.warnings import fire_warning

logger = logging.getLogger(__name__)

# Tickets taken per sweep; the rest wait for the next, so one sweep never runs for long.
BATCH = 500


@dataclass
class SweepResult:
    tickets: int = 0
    warnings: int = 0
    failed: int = 0


def sweep(now: datetime | None = None, limit: int = BATCH, *, shard: int = 0, shards: int = 1) -> SweepResult:
    """Look at every ticket with a clock whose next check is due at ``now``; fire what is due.

    With ``shards`` above 1, only the tickets whose id leaves ``shard`` divided by ``shards``: the sweeps of
    one turn are split between several workers, each taking its own tickets.
    """
    now = now or timezone.now()
    due = ClockState.objects.filter(next_check_at__lte=now)
    if shards > 1:
        due = due.annotate(shard=Mod("ticket_id", shards)).filter(shard=shard)
    due = due.order_by("next_check_at").values_list("ticket_id", flat=True)[: limit * 4]
    result = SweepResult()
    for ticket_id in list(dict.fromkeys(due))[:limit]:
        try:
            fired = sweep_ticket(ticket_id, now)
        except Exception:  # one ticket's trouble must not hold up every other ticket's warnings
            logger.exception("sweep: ticket %s could not be swept; it stays due and is tried again", ticket_id)
            result.failed += 1
            continue
        if fired is not None:
            result.tickets += 1
            result.warnings += fired
    return result


def sweep_ticket(ticket_id: int, now: datetime) -> int | None:
    """Fire what is due on one ticket; the number of warnings fired, or None if it was not this sweep's turn."""
    with transaction.atomic():
        tickets = Ticket.objects.filter(pk=ticket_id)
        if connection.features.has_select_for_update_skip_locked:
            tickets = tickets.select_for_update(skip_locked=True)
        else:
            tickets = tickets.select_for_update()
        ticket = tickets.first()
        if ticket is None:
            return None  # another sweeper or an action holds it; the clocks come round again
        rows = stored_rows(ticket)
        if not any(row.next_check_at is not None and row.next_check_at <= now for row in rows.values()):
            return None  # done already by a sweeper that held the lock before us
        # An imported or simulated event may lie ahead of the clock on the wall; never evaluate before it.
        at = max(now, ticket.updated_at)
        contract, clocks = ticket_clock_states(ticket, at)
        newly_fired: dict[str, list[str]] = {}
        for clock in clocks:
            already = rows[clock.clock].warnings_fired if clock.clock in rows else []
            for threshold in unfired(reached_thresholds(contract, clock, as_epoch(at)), already):
                fire_warning(ticket, clock, threshold, at)
                newly_fired.setdefault(clock.clock, []).append(threshold.key)
        if newly_fired:
            ticket.save(update_fields=["event_count", "last_hash", "updated_at"])
        store_clocks(ticket, contract, clocks, rows, at, newly_fired=newly_fired)
        return sum(len(keys) for keys in newly_fired.values())
