"""``servicepact contract check FILE | schema | diff A B``: the contract language on the command line.

check: exit 0 with a one-line summary (warnings on stderr), or exit 2 with every problem on stderr.
diff: exit 0 when the contracts agree clause by clause, 1 when they differ, 2 when one does not load.
"""

import argparse
import json
import sys

from servicepact.sla.contract import Contract, ContractError, contract_schema, load_contract_file
from servicepact.sla.contract_diff import diff_contracts
from servicepact.sla.contract_values import format_percent

EXIT_OK, EXIT_DIFFERENT, EXIT_BAD_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="servicepact contract",
        description="Check, describe and compare contracts.",
        epilog="With the service's database: register, sign and versions (servicepact contract register --help).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a contract file")
    check.add_argument("file")
    commands.add_parser("schema", help="print the JSON Schema of the contract language")
    diff = commands.add_parser("diff", help="compare two contracts clause by clause")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: list[str]) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "schema":
        json.dump(contract_schema(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if arguments.command == "check":
        return _check(arguments.file)
    return _diff(arguments.old, arguments.new, arguments.format)


def _load(path: str) -> Contract | None:
    """The contract, with its warnings printed; or None after printing why it does not load."""
    try:
        contract = load_contract_file(path)
    except ContractError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        return None
    except OSError as error:
        print(f"{path}: cannot read the file: {error.strerror}", file=sys.stderr)
        return None
    for warning in contract.warnings:
        print(warning, file=sys.stderr)
    return contract


def summary(contract: Contract) -> str:
    cap = format_percent(contract.credits.cap) if contract.credits else "none"
    return (
        f"{contract.id} v{contract.version}: {len(contract.calendars)} calendars, {len(contract.services)} services, "
        f"{len(contract.priorities)} priorities, {len(contract.measures)} measures, credits cap {cap}, "
        f"sha256 {contract.source_sha256[:12]}"
    )


def _check(path: str) -> int:
    contract = _load(path)
    if contract is None:
        return EXIT_BAD_INPUT
    print(summary(contract))
    return EXIT_OK


def _diff(old_path: str, new_path: str, output: str) -> int:
    old, new = _load(old_path), _load(new_path)
    if old is None or new is None:
        return EXIT_BAD_INPUT
    changes = diff_contracts(old, new)
    if output == "json":
        sides = {
            side: {"file": path, "contract": c.id, "version": c.version, "sha256": c.source_sha256}
            for side, path, c in (("old", old_path, old), ("new", new_path, new))
        }
        print(json.dumps({**sides, "identical": not changes, "changes": [c.as_json() for c in changes]}, indent=2))
    else:
        print(f"--- {old_path} ({old.id} v{old.version})\n+++ {new_path} ({new.id} v{new.version})")
        for change in changes:
            print(change)
        if not changes:
            print("no differences, clause by clause")
    return EXIT_DIFFERENT if changes else EXIT_OK
