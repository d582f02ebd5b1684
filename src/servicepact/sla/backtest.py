"""Backtest: a draft contract against the one in force (the baseline), month by month, on the same history.

For every month: every measure under both contracts side by side (matched by measure id), the open
tickets, the credits, and the clocks that flip between met and breached (a clock counted in the month
under both contracts, met under one and breached under the other).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from servicepact.sla.digest import contract_digest, digest_lines
from servicepact.sla.events import Event, canonical_event_lines
from servicepact.sla.periods import Period
from servicepact.sla.report import evaluate_period, report_object
from servicepact.sla.versions import ContractVersions


def run_backtest(
    draft: ContractVersions,
    baseline: ContractVersions,
    events_by_ticket: Mapping[str, Sequence[Event]],
    months: Sequence[Period],
) -> dict[str, Any]:
    """Both sides month by month. A side of several versions pins each ticket to its version and reports
    each month under the version in force on its last day, as a report does; a side of one file applies
    it to every ticket. Raises EventLogError (a ticket no version of a side holds) or VersionError."""
    draft_pins, baseline_pins = draft.pin(events_by_ticket), baseline.pin(events_by_ticket)
    # both contracts' digests share the events hash; hash the log once
    events_digest = digest_lines(b"", canonical_event_lines(events_by_ticket))
    result: dict[str, Any] = {
        "baseline": _contract_summary(baseline, events_digest),
        "draft": _contract_summary(draft, events_digest),
        "from": months[0].label,
        "to": months[-1].label,
        "months": [],
    }
    flips_to_breached = flips_to_met = 0
    credit_amounts = {"baseline": Decimal("0.00"), "draft": Decimal("0.00")}
    for month in months:
        baseline_terms, draft_terms = baseline.for_period(month), draft.for_period(month)
        current = evaluate_period(baseline_terms, events_by_ticket, month, keep_clocks=True, pins=baseline_pins)
        proposed = evaluate_period(draft_terms, events_by_ticket, month, keep_clocks=True, pins=draft_pins)
        current_report = report_object(baseline_terms, current)
        proposed_report = report_object(draft_terms, proposed)
        flips = clock_flips(current.stopped_clocks, proposed.stopped_clocks)
        result["months"].append(
            {
                "period": month.label,
                "from": current_report["from"],
                "to": current_report["to"],
                "measures": side_by_side(current_report["measures"], proposed_report["measures"]),
                "open": {"baseline": current.open, "draft": proposed.open},
                "open_breached": {"baseline": current.open_breached, "draft": proposed.open_breached},
                "credits": {"baseline": current_report.get("credits"), "draft": proposed_report.get("credits")},
                "flips": flips,
            }
        )
        flips_to_breached += sum(flip["draft"] == "breached" for flip in flips)
        flips_to_met += sum(flip["draft"] == "met" for flip in flips)
        for side, report in (("baseline", current_report), ("draft", proposed_report)):
            if report.get("credits"):
                credit_amounts[side] += Decimal(report["credits"]["amount"])
    result["totals"] = {
        "flips_to_breached": flips_to_breached,
        "flips_to_met": flips_to_met,
        "baseline_credit_amount": str(credit_amounts["baseline"]),
        "draft_credit_amount": str(credit_amounts["draft"]),
    }
    return result


def side_by_side(baseline: Sequence[dict[str, Any]], draft: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Measures matched by id, in the baseline's order, then the draft's new ones; a side lacking the
    measure holds null."""
    by_id_draft = {measure["id"]: measure for measure in draft}
    rows = []
    for measure in baseline:
        rows.append(
            {
                "id": measure["id"],
                "measure": measure["measure"],
                "baseline": measure,
                "draft": by_id_draft.get(measure["id"]),
            }
        )
    known = {measure["id"] for measure in baseline}
    for measure in draft:
        if measure["id"] not in known:
            rows.append({"id": measure["id"], "measure": measure["measure"], "baseline": None, "draft": measure})
    return rows


def clock_flips(
    baseline: Mapping[str, Mapping[str, str]], draft: Mapping[str, Mapping[str, str]]
) -> list[dict[str, str]]:
    """Clocks stopped in the month under both contracts whose state differs, sorted by ticket and clock."""
    flips = []
    for ticket in sorted(baseline.keys() & draft.keys()):
        before, after = baseline[ticket], draft[ticket]
        for clock in sorted(before.keys() & after.keys()):
            if before[clock] != after[clock]:
                flips.append({"ticket": ticket, "clock": clock, "baseline": before[clock], "draft": after[clock]})
    return flips


def _contract_summary(side: ContractVersions, events_digest: dict[str, str]) -> dict[str, Any]:
    summary: dict[str, Any] = {"contract": side.id, "version": side.latest.version}
    if not side.single:
        summary["versions"] = [version.version for version in side.versions]
    summary["digest"] = {**events_digest, **contract_digest(side.digest_files)}
    return summary
