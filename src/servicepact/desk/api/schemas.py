"""The shapes of tickets, their events and clocks in the API; vendors get reduced shapes.

Vendor staff see only what working their part of a ticket needs: no requester contact details, no
internal notes (their events are filtered), nothing of the contract's commercials.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from servicepact.desk.models import Impact, Kind, Status, Urgency
from servicepact.request_bodies import InputSchema

TITLE_MAX = 200
BODY_MAX = 20_000
REASON_MAX = 1_000


class PersonName(Schema):
    id: int
    full_name: str


class PersonContact(PersonName):
    email: str
    phone: str


class TeamRef(Schema):
    slug: str
    name: str


class ServiceRef(Schema):
    """Named as the contract version in force names it; no tier when no signed version lists it."""

    key: str
    name: str
    tier: int | None


class TicketBase(Schema):
    # Handlers hand over already shaped tickets (full or vendor); the answer is checked again by name.
    model_config = ConfigDict(populate_by_name=True)

    number: str
    kind: Kind
    title: str
    status: Status
    priority: str
    impact: Impact
    urgency: Urgency
    category: str
    contract: str = Field(..., alias="contract.slug")
    service: ServiceRef
    team: TeamRef | None
    assignee: PersonName | None
    created_at: datetime
    updated_at: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    due_at: datetime | None = Field(..., description="The earliest due instant of the ticket's running clocks.")
    breached: bool
    reopen_count: int


class TicketOut(TicketBase):
    """A ticket as the customer and the provider see it."""

    view: Literal["full"] = "full"
    requester: PersonContact


class VendorTicketOut(TicketBase):
    """A ticket as another vendor's staff see it: the requester's name only."""

    view: Literal["vendor"] = "vendor"
    requester: PersonName


class TicketDetailOut(TicketOut):
    description: str
    contract_version: int = Field(..., alias="contract_version.number")
    priority_overridden: bool
    watchers: list[PersonName]


class VendorTicketDetailOut(VendorTicketOut):
    description: str


# The answer's shape is told by its `view` field: "full", or "vendor" for another vendor's staff.
TicketRow = Annotated[TicketOut | VendorTicketOut, Field(discriminator="view")]
TicketDetail = Annotated[TicketDetailOut | VendorTicketDetailOut, Field(discriminator="view")]


class TicketPage(Schema):
    items: list[TicketRow]
    next: str | None = Field(None, description="The URL of the next page; absent on the last page.")


class EventOut(Schema):
    seq: int
    type: str
    at: datetime
    actor: PersonName | None
    public: bool
    data: dict
    hash: str
    prev_hash: str


class ClockOut(Schema):
    clock: str
    priority: str
    calendar: str
    target_s: int
    elapsed_s: int
    state: str
    breached_at: datetime | None
    due_at: datetime | None
    stopped_at: datetime | None
    team: TeamRef | None
    computed_at: datetime


class SegmentOut(Schema):
    start: datetime
    end: datetime
    kind: str = Field(..., description="running, paused, outside_hours, weekend, holiday, closed_date or stopped.")
    reason: str
    label: str
    duration_s: int
    duration: str
    counts: bool = Field(..., description="Whether this stretch adds to the clock's elapsed time.")


class ClockExplanationOut(Schema):
    clock: str
    label: str
    state: str
    state_label: str
    priority: str
    calendar: str
    target_s: int
    elapsed_s: int
    target: str
    elapsed: str
    used_percent: int
    due_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    computed_at: datetime
    on_priority_change: str = Field(
        ..., description="The contract's rule for priority changes on this clock: retroactive, restart or split."
    )
    team: str | None = Field(None, description="An OLA clock's team (slug).")
    segments: list[SegmentOut]


class TicketClocksOut(Schema):
    explained: list[ClockExplanationOut] = Field(
        ..., description="Every clock computed afresh now from the event log, with the stretches of its life."
    )
    stored: list[ClockOut] = Field(
        ..., description="The clock states stored when the ticket last changed or the sweep last looked at it."
    )


class TicketCreateIn(InputSchema):
    contract: str = Field(..., max_length=64, description="The contract's slug.")
    service: str = Field(..., max_length=64, description="The service's key in the contract.")
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    impact: Impact
    urgency: Urgency
    description: str = Field("", max_length=BODY_MAX)
    kind: Kind = Kind.INCIDENT
    category: str = Field("", max_length=64)
    requester: str | None = Field(
        None, max_length=254, description="The requester's e-mail when reporting for someone else."
    )
    priority: str | None = Field(
        None, max_length=8, description="Overrides the contract's impact × urgency matrix; needs a reason."
    )
    priority_reason: str = Field("", max_length=REASON_MAX)


class TransitionIn(InputSchema):
    status: Status
    reason: str = Field("", max_length=REASON_MAX)


class BodyIn(InputSchema):
    body: str = Field(..., min_length=1, max_length=BODY_MAX)


class AssignIn(InputSchema):
    team: str = Field(..., max_length=64, description="The slug of the team whose queue takes the ticket.")
    assignee: str | None = Field(None, max_length=254, description="The e-mail of a member of that team.")
    reason: str = Field("", max_length=REASON_MAX, description="Needed when the ticket leaves another team's queue.")


class PriorityIn(InputSchema):
    impact: Impact | None = None
    urgency: Urgency | None = None
    priority: str | None = Field(None, max_length=8)
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


class ResolveIn(InputSchema):
    resolution: str = Field(..., min_length=1, max_length=BODY_MAX)


class ReopenIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


class FieldsIn(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=BODY_MAX)
    category: str | None = Field(
        None,
        max_length=64,
        description="Refused here: a corrected category goes to POST /tickets/{number}/correction, with a reason.",
    )
    service: str | None = Field(
        None,
        max_length=64,
        description="Refused here: a corrected service goes to POST /tickets/{number}/correction, with a reason.",
    )


class CorrectionIn(InputSchema):
    service: str | None = Field(
        None,
        max_length=64,
        description="The key of the service the ticket was about all "
        "along: a service of the contract version the ticket is pinned to. Leave out to keep it.",
    )
    category: str | None = Field(
        None,
        max_length=64,
        description='The category it was about all along; null or "" for none. Leave out to keep it.',
    )
    reason: str = Field(
        "",
        max_length=REASON_MAX,
        description="Why the classification was wrong; required. "
        "Both parties read it on the ticket and in the exported event log.",
    )


class AssigneeIn(InputSchema):
    assignee: str | None = Field(..., max_length=254, description="A member of the holding team, or null for nobody.")


class WatcherIn(InputSchema):
    user: str = Field(..., max_length=254, description="The e-mail of the person who follows the ticket.")
