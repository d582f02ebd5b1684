"""The inputs of a report: the contract's signed versions and the period's event log.

- **Versions.** Every signed version of the contract that took effect on or before the period's last day,
  as the kernel's ``ContractVersions``: each ticket's clocks follow the version in force at its creation,
  the measures and credits the version in force on the last day (SLA-SPEC section 5, "Several versions").
  The kernel pins each ticket by its creation date; the database pinned it when it was created, and the
  two must agree (a disagreement is refused, loudly, as the report could not be recomputed offline).
- **The period's log.** The contract's tickets that have a place in the period (the kernel's
  ``matters_to``: created before END and not left resolved or closed before the period's start), with
  their events before END and their ``corrected`` events whenever made (a correction is retroactive; see
  ``desk.eventlog``). Events after END change no figure of the period, and tickets settled before it
  none either, so this log gives the same figures as the contract's whole history while staying the size
  of the period. A stored report keeps this log (``ReportLog``), so anyone can download it years later and
  get ``MATCH`` from ``servicepact report verify``; the log recomputed after a correction has another
  digest, and the report a restatement.
- **The period's outages.** When the version in force on the last day has availability measures (SLA-SPEC
  section 6), the contract's outages that cover some instant of the period, as the kernel's outage log; a
  stored report keeps that log too (``StoredReport.outage_log``), whose canonical form its digest names.
- **Satisfaction scores.** When that version measures ``satisfaction_score``, the survey scores answered so
  far for the period's tickets (``surveys.queries.contract_scores``); a stored report keeps them
  (``StoredReport.scores_log``, canonical as ``sla/scores.py`` says), whose digest names them.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from servicepact.availability.queries import kernel_outages, period_outages
from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import Contract, ContractVersion, VersionStatus
from servicepact.desk.eventlog import kernel_event_log
from servicepact.desk.models import Ticket
from servicepact.refusals import ActionRefused
from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.sla.events import Event, EventLogError, canonical_event_lines, parse_event_log
from servicepact.sla.outages import Outage, parse_outage_log
from servicepact.sla.periods import Period, PeriodError
from servicepact.sla.report import has_availability, matters_to
from servicepact.sla.versions import ContractVersions, VersionError, last_day
from servicepact.slm.reporting.periods import as_datetime, period_for
from servicepact.surveys.queries import contract_scores

STOPPED = ("resolved", "closed")


@dataclass
class ReportInputs:
    period: Period
    version: ContractVersion  # in force on the period's last day: the period's measures and credits
    terms: KernelContract  # its kernel form
    versions: list[ContractVersion]  # every version the report reads, ascending
    kernel_versions: ContractVersions
    events: dict[str, list[Event]]
    pins: dict[str, KernelContract]
    outages: list[Outage] | None = None  # the period's outage log; None without availability measures
    scores: dict[str, Fraction] | None = None  # survey scores; None without a satisfaction_score measure
    # each ticket's lines of the canonical log, joined (from the lines stored with its events); None when
    # the inputs were read from a kept log
    canonical: dict[str, bytes] | None = None

    @property
    def contract_files(self) -> bytes | list[tuple[int, bytes]]:
        """What the report's digest covers (the kernel's ``ContractVersions.digest_files``)."""
        return self.kernel_versions.digest_files


def signed_versions(contract: Contract, day: date | None = None) -> list[ContractVersion]:
    """The contract's signed versions, ascending; with ``day``, those that took effect on or before it."""
    versions = ContractVersion.objects.filter(contract=contract, status=VersionStatus.SIGNED)
    if day is not None:
        versions = versions.filter(effective_from__lte=day)
    return list(versions.order_by("number"))


def kernel_versions(versions: list[ContractVersion]) -> ContractVersions:
    return ContractVersions.of(
        [kernel_contract(version) for version in versions], [version.source.encode() for version in versions]
    )


def report_period(contract: Contract, kind: str, label: str) -> tuple[Period, list[ContractVersion]]:
    """The period of a ``kind`` of report named ``label`` and the signed versions its report reads.

    Raises ActionRefused (409) when no signed version is in force on its last day, PeriodError for a
    label that does not fit the kind.
    """
    latest = signed_versions(contract)
    if not latest:
        raise _refusal(_("Contract %(contract)s has no signed version.") % {"contract": contract.slug})
    zone = kernel_contract(latest[-1]).reporting_timezone
    period = period_for(kind, label, zone)
    versions = [version for version in latest if version.effective_from <= last_day(period, zone)]
    if not versions:
        raise _refusal(
            _("Contract %(contract)s has no signed version in force on %(day)s.")
            % {"contract": contract.slug, "day": last_day(period, zone).isoformat()}
        )
    try:
        period, terms = kernel_versions(versions).period(label)
    except VersionError as error:
        raise _refusal(str(error)) from None
    if period_for(kind, label, terms.reporting_timezone) != period:
        raise PeriodError(f"period {label!r} does not fit a {kind} report")
    return period, versions


def report_inputs(contract: Contract, kind: str, label: str) -> ReportInputs:
    """The inputs of the contract's report of ``kind`` for period ``label``, read from the database."""
    period, versions = report_period(contract, kind, label)
    terms_versions = kernel_versions(versions)
    terms = terms_versions.for_period(period)
    version = next(version for version in versions if version.number == terms.version)
    end = as_datetime(period.end)
    stored_lines: dict[str, list[bytes | None]] = {}
    try:
        logged = kernel_event_log(
            _period_tickets(contract, period), terms_versions.vocabulary, before=end, lines=stored_lines
        )
        events = {ticket: log for ticket, log in logged.items() if matters_to(log, period)}
        canonical = {ticket: ticket_canonical_lines(log, stored_lines[ticket]) for ticket, log in events.items()}
        del logged, stored_lines
        pins = terms_versions.pin(events)
    except EventLogError as error:
        raise _refusal(
            _("The period's event log cannot be read: %(problem)s") % {"problem": error.messages[0]}
        ) from None
    _check_pins(_period_tickets(contract, period), pins)
    outages = None
    if has_availability(terms):
        outages = kernel_outages(period_outages(contract, as_datetime(period.start), end))
    scores = None
    if measures_satisfaction(terms):
        scores = {ticket: score for ticket, score in contract_scores(contract).items() if ticket in events}
    return ReportInputs(period, version, terms, versions, terms_versions, events, pins, outages, scores, canonical)


def ticket_canonical_lines(events: list[Event], stored: list[bytes | None]) -> bytes:
    """One ticket's part of the canonical log (``canonical_event_lines``): its events' stored lines in the
    log's order (by instant, ties in log order), each line not stored computed as the kernel does."""
    if any(line is None for line in stored):
        stored = [
            line if line is not None else next(canonical_event_lines({event.ticket: [event]}))
            for event, line in zip(events, stored, strict=True)
        ]
    if all(earlier.at <= later.at for earlier, later in zip(events, events[1:])):
        return b"".join(stored)
    order = sorted(range(len(events)), key=lambda index: (events[index].at, events[index].line))
    return b"".join(stored[index] for index in order)


def events_digest(canonical: dict[str, bytes], tickets) -> str:
    """``events_sha256`` of the log of ``tickets`` (numbers): one pass over their stored lines, tickets in
    the canonical log's order (by code point)."""
    found = hashlib.sha256()
    for ticket in sorted(tickets):
        found.update(canonical[ticket])
    return found.hexdigest()


def stored_report_inputs(report) -> ReportInputs:
    """The inputs a stored report was computed from: the log and versions it keeps. A report stored before
    reports kept their inputs is given the period's inputs recomputed from today's history."""
    if report.log_id is None:
        return report_inputs(report.contract, report.kind, report.period_label)
    versions = list(report.input_versions.order_by("number"))
    terms_versions = kernel_versions(versions)
    period, terms = terms_versions.period(report.period_label)
    events = parse_event_log(report.log.content().splitlines(), terms_versions.vocabulary, "report-log")
    pins = terms_versions.pin(events)
    version = next(version for version in versions if version.number == terms.version)
    outages = None
    if report.outage_log_id is not None:
        content = report.outage_log.content().splitlines()
        outages = parse_outage_log(content, terms_versions.vocabulary.services, "report-outages")
    scores = None
    if report.scores_log_id is not None:
        scores = json.loads(report.scores_log.content(), parse_float=Fraction, parse_int=Fraction)
    return ReportInputs(period, version, terms, versions, terms_versions, events, pins, outages, scores)


def measures_satisfaction(terms: KernelContract) -> bool:
    return any(definition.measure == "satisfaction_score" for definition in terms.measures)


def period_log_lines(contract: Contract, kind: str, label: str) -> Iterator[bytes]:
    """The period's log in canonical form, ticket by ticket (the bytes a stored report keeps)."""
    inputs = report_inputs(contract, kind, label)
    return (inputs.canonical[ticket] for ticket in sorted(inputs.canonical))


def _period_tickets(contract: Contract, period: Period) -> QuerySet[Ticket]:
    """The contract's tickets created before END, less those plainly settled before the period: no event
    since its start and resolved or closed (the kernel's ``matters_to`` decides about the rest)."""
    settled = Q(updated_at__lt=as_datetime(period.start), status__in=STOPPED)
    return Ticket.objects.filter(contract=contract, created_at__lt=as_datetime(period.end)).exclude(settled)


def _check_pins(tickets: QuerySet[Ticket], pins: dict[str, KernelContract]) -> None:
    """The database's pinning (at creation) must be the kernel's (by the creation date), ticket by ticket."""
    for number, version in tickets.values_list("number", "contract_version__number").iterator(chunk_size=5000):
        if number in pins and pins[number].version != version:
            raise _refusal(
                _(
                    "Ticket %(ticket)s follows version %(stored)d, but version %(in_force)d was in force when it was "
                    "created; the report could not be recomputed from the contract files."
                )
                % {"ticket": number, "stored": version, "in_force": pins[number].version}
            )


def _refusal(message: str) -> ActionRefused:
    return ActionRefused(message, errors={"contract": [message]}, status=409)
