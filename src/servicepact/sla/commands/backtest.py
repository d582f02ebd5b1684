"""``servicepact backtest``: a draft contract against the one in force, month by month, on one history.

    servicepact backtest --contract DRAFT --baseline CURRENT [--baseline CURRENT ...] --events FILE|-
                         --from 2026-01 --to 2026-06 [--format json|text]

Each side may be several versions of its contract (``--contract`` and ``--baseline`` once per file): its
tickets are pinned to the version in force at their creation and each month reports under the version
in force on its last day, as ``servicepact report`` does with several ``--contract``.

Months are cut in the baseline contract's reporting time zone, so both contracts are measured over the
same instants. Exit 2 on bad input, with the problems on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys

from servicepact.sla.backtest import run_backtest
from servicepact.sla.commands.report import InputError, load_events, load_versions
from servicepact.sla.events import EventLogError
from servicepact.sla.periods import PeriodError, month_range
from servicepact.sla.report import ReportError
from servicepact.sla.report_text import render_backtest
from servicepact.sla.versions import VersionError


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="servicepact backtest", description="Compare a draft contract with the current one."
    )
    parser.add_argument(
        "--contract",
        required=True,
        action="append",
        help="the draft contract; with its earlier versions too, once per file, to pin tickets",
    )
    parser.add_argument(
        "--baseline",
        required=True,
        action="append",
        help="the contract in force; once per version when the tickets follow several",
    )
    parser.add_argument("--events", required=True, help="event log (JSON Lines), or - for standard input")
    parser.add_argument("--from", dest="first", required=True, help="first month, like 2026-01")
    parser.add_argument("--to", dest="last", required=True, help="last month, like 2026-06")
    parser.add_argument("--format", choices=("json", "text"), default="json")
    args = parser.parse_args(argv)
    try:
        draft = load_versions(args.contract)
        baseline = load_versions(args.baseline)
        months = month_range(args.first, args.last, baseline.latest.reporting_timezone)
        # The events must be valid for both contracts (services, priorities), so they are read against each.
        events = load_events(args.events, baseline.vocabulary)
        if args.events != "-":
            load_events(args.events, draft.vocabulary)
        result = run_backtest(draft, baseline, events, months)
    except InputError as error:
        return _fail(error.lines)
    except EventLogError as error:
        return _fail(error.messages)
    except (PeriodError, ReportError, VersionError) as error:
        return _fail([str(error)])
    if args.format == "json":
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_backtest(result))
    return 0


def _fail(lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return 2
