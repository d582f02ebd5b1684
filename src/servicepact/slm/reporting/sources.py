"""The inputs of a stored report: the contract version's text and the event log as it stood at the period's end.

A report is computed from the contract's tickets created before END, with their events before END (the
``servicepact events export --contract C`` lines whose ``at`` is before END). Events after END change no
figure of the period (SLA-SPEC section 5), and leaving them out keeps the digest reproducible: the log of
a period that has ended does not grow, so anyone can download the inputs later and get ``MATCH`` from
``servicepact report verify``. A history that was corrected since (a reclassified service or category)
shows up as a different digest, and a restatement is due.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import orjson

from servicepact.contracts.actions import kernel_contract, version_in_force
from servicepact.contracts.models import Contract, ContractVersion
from servicepact.desk.eventlog import export_lines
from servicepact.desk.models import Ticket
from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.sla.events import Event, parse_event_log
from servicepact.sla.periods import Period
from servicepact.sla.timefmt import format_instant
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
    end_text = format_instant(period.end).encode()
    tickets = Ticket.objects.filter(contract=contract, created_at__lt=end)
    for line in export_lines(tickets):
        # The export writes ``at`` as YYYY-MM-DDTHH:MM:SSZ, which sorts as text in time order.
        if orjson.loads(line)["at"].encode() < end_text:
            yield line


def report_inputs(contract: Contract, period: Period, version: ContractVersion | None = None) -> ReportInputs:
    version = version or version_for_period(contract, period)
    terms = kernel_contract(version)
    events = parse_event_log(period_log_lines(contract, period), terms, f"{contract.slug}-events.jsonl")
    return ReportInputs(version, terms, version.source.encode(), events)
