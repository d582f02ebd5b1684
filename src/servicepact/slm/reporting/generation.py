"""Computing and storing reports: the kernel's ``build_report`` on the period's log, kept as printed.

``generate_report`` makes the original report of a period once (asking again returns it);
``restate_report`` recomputes a stored report and keeps the result as a new row restating it.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.contracts.models import Contract
from servicepact.evidence.actions import take_checkpoint_with_report
from servicepact.permissions import can_restate_report
from servicepact.refusals import ActionRefused
from servicepact.sla.digest import ALGORITHM as DIGEST_ALGORITHM
from servicepact.sla.digest import contract_digest, outages_digest
from servicepact.sla.events import Event, canonical_event_log
from servicepact.sla.outages import canonical_outage_log
from servicepact.sla.report import build_report, evaluate_period, has_availability, report_object
from servicepact.sla.scores import canonical_scores, scores_digest
from servicepact.slm.models import ReportLog, ReportScope, StoredReport
from servicepact.slm.reporting.analysis import evaluation_details, keep_analysis
from servicepact.slm.reporting.scopes import scoped_events
from servicepact.slm.reporting.sources import ReportInputs, events_digest, report_inputs
from servicepact.webhooks.actions import report_stored


@dataclass(frozen=True)
class ReportRequest:
    """Which report: a contract's, or its team's or service's part, of one period."""

    contract: Contract
    kind: str
    period_label: str
    scope: str = ReportScope.CONTRACT
    scope_key: str = ""


@dataclass
class ComputedReport:
    request: ReportRequest
    inputs: ReportInputs
    report: dict[str, Any]
    body: str
    scoped_events: Mapping[str, Sequence[Event]]
    # per measure, the tickets behind its figures (the kernel's ``report_details``), when asked for: found by
    # the same pass over the tickets as the report
    details: dict[str, dict[str, Any]] | None = None

    @property
    def scoped_log(self) -> bytes:
        """The canonical log the report was computed from: what a stored report keeps (``ReportLog``)."""
        return b"".join(self.scoped_log_pieces())

    def scoped_log_pieces(self) -> Iterator[bytes]:
        """The same log, ticket by ticket."""
        if self.inputs.canonical is None:
            yield canonical_event_log(self.scoped_events)
            return
        for ticket in sorted(self.scoped_events):
            yield self.inputs.canonical[ticket]


def report_text(report: dict[str, Any]) -> str:
    """The JSON text exactly as ``servicepact report --format json`` prints it."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def compute_report(request: ReportRequest, *, details: bool = False) -> ComputedReport:
    """The kernel's report of ``request`` from the live log; nothing is stored. With ``details``, also the
    tickets behind each measure (what a stored report keeps in its analysis)."""
    if (request.scope == ReportScope.CONTRACT) != (not request.scope_key):
        raise ValueError(f"scope_key: {request.scope_key!r} does not fit scope {request.scope!r}")
    inputs = report_inputs(request.contract, request.kind, request.period_label)
    events = scoped_events(request.scope, request.scope_key, inputs.events)
    report, found = stored_lines_report(inputs, events, details=details)
    return ComputedReport(request, inputs, report, report_text(report), events, found)


def stored_lines_report(
    inputs: ReportInputs, events: Mapping[str, Sequence[Event]], *, details: bool = False
) -> tuple[dict[str, Any], dict[str, dict[str, Any]] | None]:
    """The kernel's ``build_report`` of ``events``, its events digest hashed over the canonical lines
    stored with the events (one pass over bytes) instead of serialising every event again; the same
    report, digest included (tests hold the two equal). With ``details``, the evaluation keeps the tickets
    behind each measure, and they are returned too (``report_details``' entries; None otherwise)."""
    if inputs.canonical is None or (inputs.outages is None and has_availability(inputs.terms)):
        report = build_report(
            inputs.terms,
            inputs.contract_files,
            events,
            inputs.period,
            pins=inputs.pins,
            outages=inputs.outages,
            scores=inputs.scores,
        )
        return report, None
    evaluation = evaluate_period(
        inputs.terms,
        events,
        inputs.period,
        scores=inputs.scores,
        pins=inputs.pins,
        outages=inputs.outages,
        keep_tickets=details,
    )
    report = report_object(inputs.terms, evaluation)
    report["digest"] = {
        "algorithm": DIGEST_ALGORITHM,
        **contract_digest(inputs.contract_files),
        "events_sha256": events_digest(inputs.canonical, events),
    }
    if inputs.outages is not None:
        report["digest"]["outages_sha256"] = outages_digest(inputs.outages)
    if inputs.scores is not None:
        report["digest"]["scores_sha256"] = scores_digest(inputs.scores)
    return report, (evaluation_details(evaluation) if details else None)


def current_report(request: ReportRequest) -> StoredReport | None:
    """The latest report of the request's period: the original, or the last restatement of it."""
    found = (
        StoredReport.objects.filter(
            contract=request.contract,
            kind=request.kind,
            period_label=request.period_label,
            scope=request.scope,
            scope_key=request.scope_key,
            restated_by__isnull=True,
        )
        .order_by("-generated_at", "-pk")
        .first()
    )
    return found


def generate_report(request: ReportRequest, *, by: User | None = None, now: datetime | None = None) -> StoredReport:
    """Store the period's report if it is not stored yet; returns the stored one either way (idempotent)."""
    existing = current_report(request)
    if existing is not None:
        return existing
    computed = compute_report(request, details=True)
    try:
        with transaction.atomic():
            stored = _store(computed, by=by, now=now, restates=None, reason="")
    except IntegrityError:
        # Another worker stored the same period meanwhile; theirs is the original.
        return current_report(request)
    _announce(stored)
    computed.inputs.canonical = None  # kept in the stored log now: its bytes are not held through the analysis
    # what its pages read, computed while the inputs (and the measures' tickets) are at hand
    keep_analysis(stored, computed.inputs, computed.details)
    return stored


def restate_report(report: StoredReport, *, actor: User, reason: str, now: datetime | None = None) -> StoredReport:
    """Recompute ``report`` from today's log; store the result as a new report that restates it.

    Refused (409) when ``report`` has been restated already (restate the latest) or nothing changed.
    """
    if not can_restate_report(actor, report):
        raise PermissionDenied(_("You may not restate this report."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ActionRefused(_("Say why the report is restated."), errors={"reason": [_("This field is required.")]})
    request = ReportRequest(report.contract, report.kind, report.period_label, report.scope, report.scope_key)
    computed = compute_report(request, details=True)
    with transaction.atomic():
        locked = StoredReport.objects.select_for_update().get(pk=report.pk)
        if StoredReport.objects.filter(restates=locked).exists():
            message = _("This report has been restated already; restate the latest one.")
            raise ActionRefused(message, errors={"report": [message]}, status=409)
        if computed.body == locked.body:
            message = _("Recomputed from today's log, the report is the same; nothing to restate.")
            raise ActionRefused(message, errors={"report": [message]}, status=409)
        restated = _store(computed, by=actor, now=now, restates=locked, reason=reason)
    _announce(restated)
    computed.inputs.canonical = None
    keep_analysis(restated, computed.inputs, computed.details)
    return restated


def _store(
    computed: ComputedReport, *, by: User | None, now: datetime | None, restates: StoredReport | None, reason: str
) -> StoredReport:
    request, report, outages, scores = (
        computed.request,
        computed.report,
        computed.inputs.outages,
        computed.inputs.scores,
    )
    stored = StoredReport.objects.create(
        contract=request.contract,
        contract_version=computed.inputs.version,
        scope=request.scope,
        scope_key=request.scope_key,
        kind=request.kind,
        period_label=request.period_label,
        period_start=_instant(report["from"]),
        period_end=_instant(report["to"]),
        body=computed.body,
        contract_sha256=report["digest"]["contract_sha256"],
        events_sha256=report["digest"]["events_sha256"],
        generated_at=now or timezone.now(),
        generated_by=by,
        restates=restates,
        reason=reason,
        log=ReportLog.objects.keep(computed.scoped_log_pieces()),
        outage_log=None if outages is None else ReportLog.objects.keep(canonical_outage_log(outages)),
        scores_log=None if scores is None else ReportLog.objects.keep(canonical_scores(scores)),
    )
    stored.input_versions.set(computed.inputs.versions)
    return stored


def _announce(stored: StoredReport) -> None:
    """Take the checkpoint signed with a stored report, then tell the webhooks (whose payload names the
    checkpoint). After the report's commit: the checkpoint reads every chain's head, which must not hold
    SQLite's writer lock."""
    take_checkpoint_with_report(stored)
    with transaction.atomic():
        report_stored(stored)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
