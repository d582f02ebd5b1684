"""A ticket's clocks as the SLA kernel computes them: its events under a contract version, at an instant.

The kernel works in whole epoch seconds; the service in aware datetimes. The conversion lives here, at
the edge, so every caller (live refresh, sweep, explanation, restatement) counts the same seconds.
"""

from datetime import UTC, datetime

from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.desk.eventlog import epoch_seconds, kernel_events
from servicepact.desk.models import Ticket
from servicepact.sla.clocks import ClockState as KernelClock
from servicepact.sla.clocks import evaluate_ticket
from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.sla.events import Event

# Signed versions never change and the kernel is deterministic, so a version's loaded form is kept per
# text hash for the life of the process; drafts (a restatement may use one) are loaded each time.
_signed_contracts: dict[str, KernelContract] = {}


def as_datetime(second: int | None) -> datetime | None:
    return None if second is None else datetime.fromtimestamp(second, tz=UTC)


def as_epoch(at: datetime) -> int:
    return epoch_seconds(at)


def version_contract(version: ContractVersion) -> KernelContract:
    """The kernel's contract of ``version``."""
    if version.status == VersionStatus.SIGNED:
        found = _signed_contracts.get(version.sha256)
        if found is None:
            found = _signed_contracts[version.sha256] = kernel_contract(version)
        return found
    return kernel_contract(version)


def pinned_contract(ticket: Ticket) -> KernelContract:
    """The kernel's contract of the version the ticket is pinned to: one small query, or none if loaded."""
    if Ticket.contract_version.is_cached(ticket):
        return version_contract(ticket.contract_version)
    sha256, status = ContractVersion.objects.filter(pk=ticket.contract_version_id).values_list("sha256", "status").get()
    if status == VersionStatus.SIGNED and sha256 in _signed_contracts:
        return _signed_contracts[sha256]
    return version_contract(ticket.contract_version)


def evaluate(contract: KernelContract, events: list[Event], at: datetime) -> list[KernelClock]:
    """Every clock of the ticket whose ``events`` these are, at ``at``, in the kernel's output order."""
    _facts, clocks = evaluate_ticket(contract, events, as_epoch(at))
    return clocks


def ticket_clock_states(ticket: Ticket, at: datetime) -> tuple[KernelContract, list[KernelClock]]:
    """(contract, clocks) of ``ticket`` at ``at`` under its pinned version."""
    contract = pinned_contract(ticket)
    return contract, evaluate(contract, kernel_events(ticket), at)
