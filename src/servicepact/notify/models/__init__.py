from servicepact.notify.models.outbox import Outbox, OutboxStatus

__all__ = ["Outbox", "OutboxStatus"]
