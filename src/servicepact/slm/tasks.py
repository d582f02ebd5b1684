"""Background work of service level management; the scheduler fires ``sweep_clocks`` periodically."""

from django.conf import settings
from django_tasks import task

from servicepact.slm.sweep import sweep


@task()
def sweep_clocks() -> dict[str, int]:
    """Fire the breach warnings and record the breaches that time has brought since the last sweep.

    With ``SERVICEPACT_SWEEP_SHARDS`` above 1, the turn is split into that many tasks over disjoint sets of
    tickets, which several workers run at once.
    """
    shards = settings.SERVICEPACT_SWEEP_SHARDS
    if shards > 1:
        for shard in range(shards):
            sweep_clock_shard.enqueue(shard, shards)
        return {"shards": shards}
    result = sweep()
    return {"tickets": result.tickets, "warnings": result.warnings}


@task()
def sweep_clock_shard(shard: int, shards: int) -> dict[str, int]:
    """One part of a sweep: the tickets whose id leaves ``shard`` divided by ``shards``."""
    result = sweep(shard=shard, shards=shards)
    return {"tickets": result.tickets, "warnings": result.warnings}
