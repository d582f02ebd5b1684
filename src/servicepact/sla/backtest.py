"""Backtest: a draft contract against the one in force (the baseline), month by month, on the same history.

For every month: every measure under both contracts side by side (matched by measure id), the open
tickets, the credits, and the clocks that flip between met and breached (a clock counted in the month
under both contracts, met under one and breached under the other).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from servicepact.sla.contract import Contract
from servicepact.sla.digest import digest_lines
from servicepact.sla.events import Event, canonical_event_lines
from servicepact.sla.periods import Period
from servicepact.sla.report import evaluate_period, report_object


def run_backtest(
    draft: Contract,
    draft_bytes: bytes,
    baseline: Contract,
    baseline_bytes: bytes,
    events_by_ticket: Mapping[str, Sequence[Event]],
    months: Sequence[Period],
) -> dict[str, Any]:
    # both contracts' digests share the events hash; hash the log once
    events_digest = digest_lines(b"", canonical_event_lines(events_by_ticket))
    result: dict[str, Any] = {
        "baseline": _contract_summary(baseline, baseline_bytes, events_digest),
        "draft": _contract_summary(draft, draft_bytes, events_digest),
        "from": months[0].label,
        "to": months[-1].label,
        "months": [],
    }
    flips_to_breached = flips_to_met = 0
    credit_amounts = {"baseline": Decimal("0.00"), "draft": Decimal("0.00")}
    for month in months:
        current = evaluate_period(baseline, events_by_ticket, month, keep_clocks=True)
        proposed = evaluate_period(draft, events_by_ticket, month, keep_clocks=True)
        current_report = report_object(baseline, current)
        proposed_report = report_object(draft, proposed)
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
        rows.append({"id": measure["id"], "measure": measure["measure"], "baseline": measure, "draft": by_id_draft.get(measure["id"])})
    known = {measure["id"] for measure in baseline}
    for measure in draft:
        if measure["id"] not in known:
            rows.append({"id": measure["id"], "measure": measure["measure"], "baseline": None, "draft": measure})
    return rows


def clock_flips(baseline: Mapping[str, Mapping[str, str]], draft: Mapping[str, Mapping[str, str]]) -> list[dict[str, str]]:
    """Clocks stopped in the month under both contracts whose state differs, sorted by ticket and clock."""
    flips = []
    for ticket in sorted(baseline.keys() & draft.keys()):
        before, after = baseline[ticket], draft[ticket]
        for clock in sorted(before.keys() & after.keys()):
            if before[clock] != after[clock]:
                flips.append({"ticket": ticket, "clock": clock, "baseline": before[clock], "draft": after[clock]})
    return flips


def _contract_summary(contract: Contract, contract_bytes: bytes, events_digest: dict[str, str]) -> dict[str, Any]:
    inputs_digest = {**events_digest, "contract_sha256": hashlib.sha256(contract_bytes).hexdigest()}
    return {"contract": contract.id, "version": contract.version, "digest": inputs_digest}
