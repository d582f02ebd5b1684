"""Terminal rendering of reports and backtests: plain aligned text, one table per part."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def render_report(report: dict[str, Any]) -> str:
    lines = [
        f"{report['contract']} v{report['version']}  period {report['period']}  ({report['from']} .. {report['to']})",
        "",
    ]
    lines += _measure_table(report["measures"], with_target=True)
    if report.get("extra_measures"):
        lines += ["", "Review measures"]
        lines += _measure_table(report["extra_measures"], with_target=False)
    for measure_id, teams in report.get("by_team", {}).items():
        lines += ["", f"{measure_id} by team"]
        lines += table(
            ["team", "value", "numerator", "denominator"],
            [[team, _number(f["value"]), str(f["numerator"]), str(f["denominator"])] for team, f in teams.items()],
        )
    lines += ["", f"open at end: {report['open']}  (already breached: {report['open_breached']})"]
    for exclusion in report.get("excluded", []):
        tickets = ", ".join(exclusion["tickets"])
        lines.append(f"excluded from {exclusion['measure']} by {exclusion['rule']}: {tickets}")
    if "credits" in report:
        lines += ["", *render_credits(report["credits"])]
    digest = report.get("digest")
    if digest:
        lines += ["", f"contract {digest['algorithm']} {digest['contract_sha256']}"]
        lines.append(f"events   {digest['algorithm']} {digest['events_sha256']}")
    return "\n".join(lines) + "\n"


def render_credits(credits: dict[str, Any] | None) -> list[str]:
    if credits is None:
        return ["credits: the contract defines none"]
    lines = ["Service credits"]
    for rule in credits["rules"]:
        lines.append(
            f"  {rule['measure']}: {_number(rule['value'])} is below {_number(rule['below'])}"
            f" -> {_number(rule['credit_percent'])}%"
        )
    if not credits["rules"]:
        lines.append("  no rule applies")
    for applied in credits["applied"]:
        lines.append(f"  applied to {applied['measure']}: {_number(applied['percent'])}%")
    lines.append(
        f"  total {_number(credits['total_percent'])}% (before cap {_number(credits['total_before_cap_percent'])}%,"
        f" cap {_number(credits['cap_percent'])}%)"
        f" of {credits['monthly_fee']} {credits['currency']} = {credits['amount']} {credits['currency']}"
    )
    return lines


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header, *rows]]


def _measure_table(measures: Sequence[dict[str, Any]], *, with_target: bool) -> list[str]:
    header = ["id", "measure", "value", "numerator", "denominator"]
    if with_target:
        header += ["target", "met", "baseline"]
    rows = []
    for measure in measures:
        row = [
            measure["id"],
            measure["measure"],
            _number(measure["value"]),
            _number(measure["numerator"]),
            _number(measure["denominator"]),
        ]
        if with_target:
            row += [measure["target"] or "-", _met(measure["met"]), _number(measure["baseline"])]
        rows.append(row)
    return table(header, rows)


def _met(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "-"}[met]


def _number(value: int | float | None) -> str:
    return "-" if value is None else str(value)


def render_backtest(result: dict[str, Any]) -> str:
    baseline, draft = result["baseline"], result["draft"]
    lines = [
        f"backtest {result['from']} .. {result['to']}: baseline {baseline['contract']} v{baseline['version']}"
        f" vs draft {draft['contract']} v{draft['version']}",
    ]
    for month in result["months"]:
        lines += ["", f"== {month['period']}  ({month['from']} .. {month['to']})"]
        rows = []
        for row in month["measures"]:
            rows.append([row["id"], *_side_cells(row["baseline"]), *_side_cells(row["draft"])])
        lines += table(["measure", "baseline", "met", "draft", "met"], rows)
        lines.append(
            f"open: {month['open']['baseline']} / {month['open']['draft']}"
            f"   open breached: {month['open_breached']['baseline']} / {month['open_breached']['draft']}"
        )
        for side in ("baseline", "draft"):
            credits = month["credits"][side]
            if credits is not None:
                lines.append(
                    f"credits ({side}): {_number(credits['total_percent'])}% = {credits['amount']} {credits['currency']}"
                )
        for flip in month["flips"]:
            lines.append(f"flip {flip['ticket']} {flip['clock']}: {flip['baseline']} -> {flip['draft']}")
    totals = result["totals"]
    lines += [
        "",
        f"flips to breached: {totals['flips_to_breached']}, to met: {totals['flips_to_met']}",
        f"credits over the range: baseline {totals['baseline_credit_amount']}, draft {totals['draft_credit_amount']}",
    ]
    return "\n".join(lines) + "\n"


def _side_cells(measure: dict[str, Any] | None) -> list[str]:
    if measure is None:
        return ["(none)", "-"]
    return [_number(measure["value"]), _met(measure["met"])]
