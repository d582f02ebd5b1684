"""``servicepact backtest`` without ``--baseline``: a draft against the contract in force in the database.

    servicepact backtest --contract DRAFT (--events FILE | --import RUN) --from 2026-01 --to 2026-06

``--import RUN`` takes as history the tickets imported from that import's file (``servicepact import``,
the imports pages show each run's number) instead of an event log: a prospect's export, imported into its
contract, tried against a draft before anything is signed.

The kernel's ``backtest`` compares contract files offline; here the baseline is every signed version of the
draft's contract (same contract id), exactly as stored and signed: each ticket follows the version in
force at its creation and each month the version in force on its last day, as the stored reports do.
"""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from servicepact.contracts.models import Contract
from servicepact.desk.eventlog import export_lines
from servicepact.imports.models import ImportRun, RunStatus
from servicepact.sla.commands import backtest as kernel_backtest
from servicepact.sla.contract import ContractError, load_contract_file
from servicepact.slm.reporting.backtesting import history_tickets
from servicepact.slm.reporting.sources import signed_versions


class Command(BaseCommand):
    help = "Compare a draft contract with the contract in force, month by month, on an event log."

    def add_arguments(self, parser):
        parser.add_argument("--contract", required=True, help="the draft contract")
        history = parser.add_mutually_exclusive_group(required=True)
        history.add_argument("--events", help="event log (JSON Lines), or - for standard input")
        history.add_argument(
            "--import",
            dest="run",
            type=int,
            metavar="RUN",
            help="the tickets imported from this import's file, from the database",
        )
        parser.add_argument("--from", dest="first", required=True, help="first month, like 2026-01")
        parser.add_argument("--to", dest="last", required=True, help="last month, like 2026-06")
        parser.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args, **options):
        try:
            draft = load_contract_file(options["contract"])
        except (ContractError, OSError) as error:
            lines = [str(d) for d in error.diagnostics] if isinstance(error, ContractError) else [str(error)]
            raise CommandError("\n".join(lines), returncode=2) from None
        contract = Contract.objects.filter(slug=draft.id).first()
        if contract is None:
            raise CommandError(
                f"--contract: the draft is for contract {draft.id!r}, which is not in this database; "
                "give the contract in force with --baseline FILE",
                returncode=2,
            )
        versions = signed_versions(contract)
        if not versions:
            raise CommandError(f"--contract: contract {contract.slug!r} has no signed version", returncode=2)
        with tempfile.TemporaryDirectory() as folder:
            events = options["events"]
            if options["run"] is not None:
                events = str(Path(folder) / "history.jsonl")
                self.write_history(contract, options["run"], events)
            baselines = []
            for version in versions:
                path = Path(folder) / f"{contract.slug}-v{version.number}.yaml"
                path.write_text(version.source, encoding="utf-8")
                baselines += ["--baseline", str(path)]
            code = kernel_backtest.main(
                [
                    "--contract",
                    options["contract"],
                    *baselines,
                    "--events",
                    events,
                    "--from",
                    options["first"],
                    "--to",
                    options["last"],
                    "--format",
                    options["format"],
                ]
            )
        if code:
            raise CommandError("the backtest was refused; see the messages above", returncode=code)

    def write_history(self, contract: Contract, run_id: int, path: str) -> None:
        run = ImportRun.objects.filter(pk=run_id, contract=contract).first()
        if run is None:
            raise CommandError(f"--import: contract {contract.slug!r} has no import {run_id}", returncode=2)
        if run.status != RunStatus.DONE:
            raise CommandError(f"--import: import {run_id} is {run.status}, not done", returncode=2)
        with open(path, "wb") as stream:
            stream.writelines(export_lines(history_tickets(contract, run)))
