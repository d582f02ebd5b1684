"""``servicepact invoice``: a month's invoice from the contract's rates, a timesheet and the month's report.

    servicepact invoice --contract FILE [--contract FILE ...] --timesheet FILE --report MONTH_REPORT.json
                        [--format json|text]

The timesheet is CSV with the columns ``person,role,date,hours,reference``; the report is the month's
report (``servicepact report --period 2026-03``), whose credits come off the bill and whose digest the
invoice names. The rates are those of the contract version in force on the month's last day. Exit 0 with
the invoice, 2 on bad input with every problem on standard error, each naming its file and line or field
(docs/billing.md).
"""

from __future__ import annotations

import argparse
import json
import sys

from servicepact.sla.commands.report import InputError, _fail, _read_bytes, _read_report, load_versions
from servicepact.sla.invoice import InvoiceError, build_invoice, credits_of, parse_timesheet, sha256
from servicepact.sla.invoice_text import render_invoice
from servicepact.sla.periods import MONTH_LABEL
from servicepact.sla.versions import VersionError


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="servicepact invoice", description="A month's invoice: hours per role, the fixed fee, less credits."
    )
    parser.add_argument("--contract", required=True, action="append", help="contract YAML file; once per version")
    parser.add_argument("--timesheet", required=True, help="CSV: person,role,date,hours,reference")
    parser.add_argument("--report", required=True, help="the month's report (JSON) whose credits are deducted")
    parser.add_argument("--format", choices=("json", "text"), default="json")
    args = parser.parse_args(argv)
    try:
        versions = load_versions(args.contract)
        report_bytes = _read_bytes(args.report, "report")
        report = _read_report(args.report)
        month = report["period"]
        if not isinstance(month, str) or not MONTH_LABEL.fullmatch(month):
            raise InputError([f"{args.report}: the report's period {month!r} is not a month; credits are monthly"])
        try:
            _period, contract = versions.period(month)
        except VersionError as error:
            raise InputError([f"--contract: {error}"]) from error
        if contract.billing is None:
            raise InputError(
                [f"--contract: version {contract.version} of contract {contract.id!r} has no billing section"]
            )
        credits = credits_of(report, contract, contract.billing, args.report)
        timesheet_bytes = _read_bytes(args.timesheet, "timesheet")
        try:
            text = timesheet_bytes.decode("utf-8")
        except UnicodeDecodeError as error:
            line = timesheet_bytes[: error.start].count(b"\n") + 1
            raise InputError([f"{args.timesheet}:{line}: not UTF-8 text"]) from None
        rows = parse_timesheet(text, args.timesheet, contract.billing, month)
        invoice = build_invoice(
            contract,
            rows,
            report,
            report_sha256=sha256(report_bytes),
            credits=credits,
            timesheet_sha256=sha256(timesheet_bytes),
        )
    except InputError as error:
        return _fail(error.lines)
    except InvoiceError as error:
        return _fail(error.messages)
    if args.format == "json":
        sys.stdout.write(json.dumps(invoice, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_invoice(invoice))
    return 0
