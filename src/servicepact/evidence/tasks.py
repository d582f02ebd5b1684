"""Background work of tamper evidence: the scheduler fires ``take_scheduled_checkpoint`` (runtime/periodic.py)."""

import logging

from django_tasks import task

from servicepact.evidence.actions import CheckpointRefused, offer, take_checkpoint
from servicepact.evidence.models import CheckpointReason

logger = logging.getLogger(__name__)


@task()
def take_scheduled_checkpoint() -> dict[str, int]:
    """Sign the heads of every chain (nothing new when they have not moved) and offer the result by mail to
    the customers whose contract's group they were not mailed yet; a refusal is logged loudly: the database
    holds a history that does not extend the last checkpoint."""
    try:
        checkpoint = take_checkpoint(reason=CheckpointReason.SCHEDULE)
    except CheckpointRefused as refused:
        logger.error("checkpoint refused: %s", "; ".join(refused.problems[:20]))
        return {"refused": len(refused.problems)}
    return {"sequence": checkpoint.sequence, "offered": offer(checkpoint)}
