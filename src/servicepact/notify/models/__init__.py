from servicepact.notify.models.attachment import OutboxAttachment
from servicepact.notify.models.notice import Notice
from servicepact.notify.models.outbox import Outbox, OutboxStatus

__all__ = ["Notice", "Outbox", "OutboxAttachment", "OutboxStatus"]
