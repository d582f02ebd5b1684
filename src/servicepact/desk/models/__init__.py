from servicepact.desk.models.attachment import Attachment
from servicepact.desk.models.canned_reply import CannedReply
from servicepact.desk.models.choices import Impact, Kind, Status, Urgency
from servicepact.desk.models.event import EventType, TicketEvent
from servicepact.desk.models.ledger import IssuedNumber
from servicepact.desk.models.link import INVERSE_LABELS, LinkKind, TicketLink
from servicepact.desk.models.merge import TicketMerge
from servicepact.desk.models.routing import RoutingRule
from servicepact.desk.models.saved_view import SavedView
from servicepact.desk.models.ticket import Ticket, TicketCounter, TicketTeam

__all__ = [
    "Attachment",
    "CannedReply",
    "EventType",
    "Impact",
    "INVERSE_LABELS",
    "IssuedNumber",
    "LinkKind",
    "Kind",
    "RoutingRule",
    "SavedView",
    "Status",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketLink",
    "TicketMerge",
    "TicketTeam",
    "Urgency",
]
