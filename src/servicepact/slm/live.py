"""Live clocks: the SLA kernel's clock states of a ticket, stored in the same transaction as its events.

Every desk action calls ``refresh_clocks`` after appending its events; the sweep calls ``store_clocks``
after firing the warnings that time brought. Either way the stored rows are exactly what
``servicepact sla replay`` prints for the exported events at ``computed_at``, plus what the service
needs on top: ``next_check_at`` for the sweep and the thresholds already fired.

A refresh costs a handful of queries: the ticket's events, its clock rows, one upsert, and the ticket
row when its due instant or breach flag moved (the contract comes from memory after its first use).
"""

from datetime import datetime

from servicepact.accounts.models import Team
from servicepact.desk.models import Ticket
from servicepact.sla.clock_rules import OLA_PREFIX
from servicepact.sla.clocks import ClockState as KernelClock
from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.slm.evaluation import as_datetime, as_epoch, ticket_clock_states
from servicepact.slm.models import ClockState
from servicepact.slm.thresholds import next_check

_STORED_FIELDS = [
    "priority",
    "calendar",
    "target_s",
    "elapsed_s",
    "state",
    "breached_at",
    "due_at",
    "stopped_at",
    "team",
    "next_check_at",
    "warnings_fired",
    "computed_at",
]


def refresh_clocks(ticket: Ticket, at: datetime) -> list[ClockState]:
    """Recompute and store every clock of ``ticket`` as of ``at`` (called by every desk action).

    Call it with the ticket row locked, inside the action's transaction.
    """
    contract, clocks = ticket_clock_states(ticket, at)
    return store_clocks(ticket, contract, clocks, stored_rows(ticket), at)


def stored_rows(ticket: Ticket) -> dict[str, ClockState]:
    return {row.clock: row for row in ClockState.objects.filter(ticket=ticket)}


def store_clocks(
    ticket: Ticket,
    contract: KernelContract,
    clocks: list[KernelClock],
    rows: dict[str, ClockState],
    at: datetime,
    *,
    newly_fired: dict[str, list[str]] | None = None,
) -> list[ClockState]:
    """Upsert the rows of ``clocks`` and the ticket's due instant and breach flag.

    Each row keeps the thresholds it had fired, plus those in ``newly_fired`` (clock -> keys).
    """
    at_epoch = as_epoch(at)
    team_ids = _team_ids({clock.team for clock in clocks if clock.team})
    stored = []
    for clock in clocks:
        fired = list(rows[clock.clock].warnings_fired) if clock.clock in rows else []
        fired += (newly_fired or {}).get(clock.clock, [])
        stored.append(
            ClockState(
                ticket=ticket,
                clock=clock.clock,
                priority=clock.priority,
                calendar=clock.calendar,
                target_s=clock.target_s,
                elapsed_s=clock.elapsed_s,
                state=clock.state,
                breached_at=as_datetime(clock.breached_at),
                due_at=as_datetime(clock.due_at),
                stopped_at=as_datetime(clock.stopped_at),
                team_id=team_ids.get(clock.team),
                next_check_at=as_datetime(next_check(contract, clock, fired, at_epoch)),
                warnings_fired=fired,
                computed_at=at,
            )
        )
    ClockState.objects.bulk_create(
        stored,
        update_conflicts=True,
        unique_fields=["ticket", "clock"],
        update_fields=_STORED_FIELDS,
    )
    gone = set(rows) - {clock.clock for clock in clocks}
    if gone:
        ClockState.objects.filter(ticket=ticket, clock__in=gone).delete()
    _project_onto_ticket(ticket, clocks)
    return stored


def _team_ids(slugs: set[str]) -> dict[str, int]:
    if not slugs:
        return {}
    return dict(Team.objects.filter(slug__in=slugs).values_list("slug", "pk"))


def due_and_breached(clocks: list[KernelClock]) -> tuple[datetime | None, bool]:
    """The ticket's due instant and breach flag, from the contract's clocks (an OLA is an internal matter)."""
    contract_clocks = [clock for clock in clocks if not clock.clock.startswith(OLA_PREFIX)]
    running_dues = [clock.due_at for clock in contract_clocks if clock.state == "running" and clock.due_at is not None]
    due_at = as_datetime(min(running_dues)) if running_dues else None
    return due_at, any(clock.state == "breached" for clock in contract_clocks)


def _project_onto_ticket(ticket: Ticket, clocks: list[KernelClock]) -> None:
    due_at, breached = due_and_breached(clocks)
    if (ticket.due_at, ticket.breached) != (due_at, breached):
        ticket.due_at, ticket.breached = due_at, breached
        Ticket.objects.filter(pk=ticket.pk).update(due_at=due_at, breached=breached)
