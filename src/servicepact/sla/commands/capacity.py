"""``servicepact capacity``: the agents each team needs per hour of the week, from the tickets it was given.

    servicepact capacity --contract FILE [--contract FILE ...] --events FILE|- --from 2026-01 --to 2026-06
                         [--team T] [--service-level 0.8] [--max-occupancy 0.85] [--shrinkage 0.3]
                         [--target DURATION] [--format json|text]

docs/capacity.md defines every row. ``--contract`` once per version, as for ``report``: each ticket's
handling time follows its version's resolution clock; the response targets are those of the version in
force on the range's last day. Exit 0 on success, 2 on bad input with a message naming the option, the
file and line.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from servicepact.sla.capacity import CapacityError, CapacityOptions, capacity_rows
from servicepact.sla.capacity_text import render_capacity
from servicepact.sla.commands.report import InputError, _fail, load_pinned_events, load_versions
from servicepact.sla.durations import DurationError, parse_duration
from servicepact.sla.periods import PeriodError, parse_period
from servicepact.sla.versions import VersionError

MAX_DIGITS = 30  # a share needs a few; 1e999999 would be a number of a million digits


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="servicepact capacity", description="Agents required per team and hour of the week (Erlang C)."
    )
    parser.add_argument("--contract", required=True, action="append", help="contract YAML file; once per version")
    parser.add_argument("--events", required=True, help="event log (JSON Lines), or - for standard input")
    parser.add_argument("--from", dest="first", required=True, help="first month, like 2026-01")
    parser.add_argument("--to", dest="last", required=True, help="last month, like 2026-06 (included)")
    parser.add_argument("--team", help="only this team")
    parser.add_argument("--service-level", default="0.8", help="share answered within the target (default 0.8)")
    parser.add_argument("--max-occupancy", default="0.85", help="highest share of time busy (default 0.85)")
    parser.add_argument("--shrinkage", default="0.3", help="share of scheduled time not available (default 0.3)")
    parser.add_argument("--target", help="answer within this duration (default: each team's commonest priority's)")
    parser.add_argument("--format", choices=("json", "text"), default="json")
    args = parser.parse_args(argv)
    try:
        options = CapacityOptions(
            service_level=_ratio("--service-level", args.service_level),
            max_occupancy=_ratio("--max-occupancy", args.max_occupancy),
            shrinkage=_ratio("--shrinkage", args.shrinkage),
            target_s=_duration(args.target),
        )
        options.check()
        versions = load_versions(args.contract)
        for option, label in (("--from", args.first), ("--to", args.last)):
            _month(option, label, versions.latest.reporting_timezone)
        if parse_period(args.last, "UTC").start < parse_period(args.first, "UTC").start:
            raise InputError([f"--to: {args.last} comes before --from {args.first}"])
        try:
            _period, in_force = versions.period(args.last)
        except VersionError as error:
            raise InputError([f"--to: {error}"]) from error
        events, pins = load_pinned_events(args.events, versions)
        _check_team(args.team, events, in_force)
        rows = capacity_rows(in_force, events, pins, args.first, args.last, options, team=args.team)
    except InputError as error:
        return _fail(error.lines)
    except (CapacityError, PeriodError) as error:
        return _fail([str(error)])
    result = {
        "contract": versions.id,
        "version": in_force.version,
        "from": args.first,
        "to": args.last,
        "service_level": float(options.service_level),
        "max_occupancy": float(options.max_occupancy),
        "shrinkage": float(options.shrinkage),
        "rows": rows,
    }
    if args.format == "json":
        sys.stdout.write(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_capacity(result))
    return 0


def _ratio(option: str, text: str) -> Fraction:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InputError([f"{option}: {text!r} is not a number; expected a share like 0.8"]) from None
    if not value.is_finite():
        raise InputError([f"{option}: {text!r} is not a number; expected a share like 0.8"])
    shape = value.as_tuple()
    if len(shape.digits) > MAX_DIGITS or not -MAX_DIGITS <= shape.exponent <= MAX_DIGITS:
        raise InputError([f"{option}: {text[:40]!r} is out of range; expected a share like 0.8"])
    return Fraction(value)


def _duration(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return parse_duration(text)
    except DurationError as error:
        raise InputError([f"--target: {error}"]) from None


def _month(option: str, label: str, zone: str) -> None:
    try:
        period = parse_period(label, zone)
    except PeriodError as error:
        raise InputError([f"{option}: {error}"]) from None
    if not period.is_month:
        raise InputError([f"{option}: {label!r} is not a month; expected a month like 2026-01"])


def _check_team(team: str | None, events: dict, contract) -> None:
    if team is None:
        return
    known = set(contract.olas)
    for ticket_events in events.values():
        for event in ticket_events:
            if event.type in ("created", "assigned") and event.data.get("team"):
                known.add(event.data["team"])
    if team not in known:
        raise InputError([f"--team: no ticket was ever assigned to team {team!r}; teams: {', '.join(sorted(known))}"])
