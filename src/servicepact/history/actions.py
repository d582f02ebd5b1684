"""Appending to a record's history: the only write of the history app, called by the actions of the apps
whose records keep one, inside their own transaction."""

import json
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from servicepact.history.models import HistoryEntry, HistoryHead


def record(
    subject: models.Model, *, type: str, actor, data: dict | None = None, at: datetime | None = None
) -> HistoryEntry:
    """Append an entry of ``type`` to ``subject``'s history; ``data`` must be plain JSON.

    The chain's head row is locked while the entry takes the next place, so concurrent writers of one
    record queue up and never fork its chain.
    """
    if subject.pk is None:
        raise ValueError("a record has a history once it is saved")
    if not getattr(subject.__class__, "keeps_history", False):
        raise TypeError(f"{subject._meta.label} does not keep a history (keeps_history is not set)")
    # The stored JSON must read back as exactly what was hashed.
    plain = json.loads(json.dumps(data or {}, ensure_ascii=False, allow_nan=False))
    subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    with transaction.atomic():
        head, _ = HistoryHead.objects.select_for_update().get_or_create(
            subject_type=subject_type, subject_id=subject.pk
        )
        entry = HistoryEntry(
            subject_type=subject_type,
            subject_id=subject.pk,
            seq=head.length + 1,
            type=type,
            at=at or timezone.now(),
            actor=actor,
            data=plain,
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        head.length = entry.seq
        head.last_hash = entry.hash
        head.save(update_fields=["length", "last_hash"])
    return entry
