from servicepact.evidence.models.checkpoint import (
    Checkpoint,
    CheckpointGroup,
    CheckpointGroupQuerySet,
    CheckpointQuerySet,
    CheckpointReason,
    HeadSet,
)

__all__ = [
    "Checkpoint",
    "CheckpointGroup",
    "CheckpointGroupQuerySet",
    "CheckpointQuerySet",
    "CheckpointReason",
    "HeadSet",
]
