from servicepact.mailin.models.mailbox import Mailbox, UnknownSenders
from servicepact.mailin.models.message import InboundMessage, InboundStatus

__all__ = ["InboundMessage", "InboundStatus", "Mailbox", "UnknownSenders"]
