"""The text form of an invoice (``servicepact invoice --format text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def render_invoice(invoice: Mapping[str, Any]) -> str:
    currency = invoice["currency"]
    lines = [
        f"Invoice of contract {invoice['contract']} (version {invoice['version']}) for {invoice['month']}, in {currency}",
        "",
        f"{'':<34}{'hours':>10}{'rate':>12}{'amount':>16}",
    ]
    for line in invoice["lines"]:
        if line["kind"] == "hours":
            label = line["role"] + ("" if line["billable"] else " (not billed)")
            lines.append(f"{label:<34}{line['hours']:>10}{line['rate']:>12}{line['amount']:>16}")
        elif line["kind"] == "fee":
            lines.append(f"{'fixed monthly fee':<56}{line['amount']:>16}")
        else:
            lines.append(f"{'service credits of the month':<56}{line['amount']:>16}")
    source = invoice["credits_from"]
    digest = source["digest"] or {}
    lines += [
        "-" * 72,
        f"{'total':<56}{invoice['total']:>16}",
        "",
        f"Credits from the report of {source['period']}: report SHA-256 {source['report_sha256']}",
        f"  contract SHA-256 {digest.get('contract_sha256')}, events SHA-256 {digest.get('events_sha256')}",
    ]
    return "\n".join(lines) + "\n"
