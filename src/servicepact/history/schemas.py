"""A record's history in the API: the same shape for every record that keeps one."""

from datetime import datetime

from ninja import Schema


class HistoryEntryOut(Schema):
    seq: int
    type: str
    at: datetime
    actor: str | None
    data: dict
    hash: str

    @staticmethod
    def resolve_actor(entry) -> str | None:
        return entry.actor.email if entry.actor else None
