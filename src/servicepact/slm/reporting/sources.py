"""The inputs of a stored report: the contract version's text and the event log as it stood at the period's end.

A report is computed from the contract's tickets created before END, with their events before END and
their ``corrected`` events whenever made (a correction of the service or category is retroactive; see
``desk.eventlog``). Other events after END change no figure of the period (SLA-SPEC section 5), and
leaving them out keeps the digest reproducible: the log of a period that has ended grows only by
corrections, so anyone can download the inputs later and get ``MATCH`` from ``servicepact report
verify``. A history that was corrected since shows up as a different digest, and a restatement is due.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from servicepact.contracts.actions import kernel_contract, version_in_force
from servicepact.contracts.models import Contract, ContractVersion
from servicepact.desk.eventlog import export_lines, kernel_event_log
from servicepact.desk.models import Ticket
from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.sla.events import Event
from servicepact.sla.periods import Period
from servicepact.slm.reporting.periods import as_datetime


@dataclass
class ReportInputs:
    version: ContractVersion
    terms: KernelContract
    contract_bytes: bytes
    events: dict[str, list[Event]]


def version_for_period(contract: Contract, period: Period) -> ContractVersion:
    """The signed version in force on the period's last day: its measures and credits are the period's.

    Raises ActionRefused (409) when no signed version is in force then.
    """
    return version_in_force(contract, as_datetime(period.end) - timedelta(seconds=1))


def period_log_lines(contract: Contract, period: Period) -> Iterator[bytes]:
    """The contract's event log restricted to events before the period's END, as JSON Lines."""
    end = as_datetime(period.end)
    return export_lines(_period_tickets(contract, end), before=end)


def report_inputs(contract: Contract, period: Period, version: ContractVersion | None = None) -> ReportInputs:
    """The period's inputs; the events are read from the database straight into the kernel's form, the
    same events as ``parse_event_log(period_log_lines(...))`` gives (the tests hold the two equal)."""
    version = version or version_for_period(contract, period)
    terms = kernel_contract(version)
    end = as_datetime(period.end)
    events = kernel_event_log(_period_tickets(contract, end), terms, before=end)
    return ReportInputs(version, terms, version.source.encode(), events)


def _period_tickets(contract: Contract, end: datetime) -> QuerySet[Ticket]:
    return Ticket.objects.filter(contract=contract, created_at__lt=end)
