"""Reading a record's history: through the access layer, in chain order."""

from django.db import models

from servicepact.history.models import HistoryEntry


def history_of(subject: models.Model, user) -> models.QuerySet[HistoryEntry]:
    """The entries of ``subject``'s history that ``user`` may read (all of them when they may see it)."""
    return HistoryEntry.objects.visible_to(user).of(subject).select_related("actor")
