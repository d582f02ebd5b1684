"""Reading checkpoints back: the file of a whole checkpoint, or of one contract's copy (docs/checkpoints.md)."""

import base64
import json
from collections.abc import Iterable

from servicepact.evidence.models import Checkpoint, CheckpointGroup
from servicepact.evidence.statement import GroupHead, document


def checkpoint_document(checkpoint: Checkpoint, groups: Iterable[CheckpointGroup] | None = None) -> dict:
    """The file to keep: the statement, its signature, and ``groups`` (default every one) with their leaves
    and inclusion proofs. Every group of the checkpoint is read for the proofs; only those asked for are
    given with their leaves."""
    everyone = list(checkpoint.groups.select_related("heads").order_by("position"))
    heads = [GroupHead(group.name, group.heads.count, group.heads.root) for group in everyone]
    wanted = everyone if groups is None else sorted(groups, key=lambda group: group.position)
    by_pk = {group.pk: group for group in everyone}
    return document(
        checkpoint.statement,
        base64.b64decode(checkpoint.signature),
        heads,
        [(by_pk[group.pk].position, by_pk[group.pk].heads.leaves()) for group in wanted],
    )


def document_bytes(content: dict) -> bytes:
    return json.dumps(content, indent=1, ensure_ascii=False).encode() + b"\n"
