"""``servicepact import servicenow|jira|csv FILE --mapping MAPPING.yaml --contract SLUG [--dry-run] [--as EMAIL]``

Brings another tool's history into a contract (docs/imports.md). ``--dry-run`` reads and converts the
whole file and changes nothing: it prints what the import would do, every value the mapping does not map
(with the number of tickets holding it), every bad row with its line, and what would be approximated.
Without it the same check runs first, and only a clean file is imported, batch by batch with progress on
standard error, as the person named by ``--as`` (recorded on every imported ticket). Run again, it skips
what is there: an interrupted import goes on, a finished one imports nothing twice.

    servicepact import schema        the mapping's JSON Schema

Exit status: 0 done (or a clean dry run); 1 refused by the rules (the person may not import here); 2 bad
input (an unknown contract or person, a mapping with problems, each as FILE:LINE:COL: message, a file with
unmapped values or bad rows).
"""

import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from servicepact.accounts.models import User
from servicepact.contracts.models import Contract
from servicepact.imports import execution
from servicepact.imports.actions import ImportRefused, check_import, import_history
from servicepact.imports.mapping import (
    TOOLS,
    MappingError,
    load_mapping,
    mapping_schema,
)
from servicepact.imports.models import ImportRun
from servicepact.imports.report import ImportReport
from servicepact.refusals import ActionRefused

EXIT_REFUSED, EXIT_BAD_INPUT = 1, 2
SHOWN_UNMAPPED = 50


class Command(BaseCommand):
    help = "Import another tool's ticket history into a contract, or check an export with --dry-run."

    def add_arguments(self, parser):
        parser.add_argument("tool", choices=(*TOOLS, "schema"), help="the tool that wrote the file, or schema")
        parser.add_argument("file", nargs="?", help="the export (CSV, JSON, or a zip archive holding one)")
        parser.add_argument("--mapping", help="the mapping file (YAML)")
        parser.add_argument("--contract", help="the contract's id, like globex-ito")
        parser.add_argument("--dry-run", action="store_true", help="check and report; change nothing")
        parser.add_argument("--as", dest="actor", metavar="EMAIL", help="the person importing (required to import)")
        parser.add_argument("--format", choices=("text", "json"), default="text", help="of the report")

    def handle(self, *args, **options):
        if options["tool"] == "schema":
            self.stdout.write(json.dumps(mapping_schema(), indent=2))
            return
        for name in ("file", "mapping", "contract"):
            if not options.get(name):
                raise CommandError(
                    f"--{name}: required" if name != "file" else "FILE: name the export to import",
                    returncode=EXIT_BAD_INPUT,
                )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=EXIT_BAD_INPUT)
        mapping = self.mapping(options["mapping"])
        contract = Contract.objects.filter(slug=options["contract"]).first()
        if contract is None:
            known = ", ".join(Contract.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"--contract: no contract {options['contract']!r} (known: {known})", returncode=EXIT_BAD_INPUT
            )
        actor = self.actor(options.get("actor"), contract, options["dry_run"])
        try:
            if options["dry_run"]:
                if actor is None:
                    # Nothing changes: the operator at the command line needs no one's permission to look.
                    if options["tool"] != mapping.doc.source.tool:
                        raise ActionRefused(
                            f"the mapping is for {mapping.doc.source.tool} exports, not {options['tool']}"
                        )
                    report = execution.check(User(email="command line"), contract, path, mapping, path.name)
                else:
                    report = check_import(
                        actor=actor, contract=contract, path=path, mapping=mapping, tool=options["tool"]
                    )
                self.show(report, options["format"])
                if not report.ok:
                    raise CommandError(
                        "the file cannot be imported as it is (see above); nothing was changed",
                        returncode=EXIT_BAD_INPUT,
                    )
                return
            run = import_history(
                actor=actor, contract=contract, path=path, mapping=mapping, tool=options["tool"], progress=self.progress
            )
        except ImportRefused as refusal:
            self.show(refusal.report, options["format"])
            raise CommandError(
                "the file cannot be imported as it is (see above); nothing was changed", returncode=EXIT_BAD_INPUT
            ) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=EXIT_REFUSED) from None
        except ActionRefused as refusal:
            raise CommandError(refusal.message, returncode=EXIT_BAD_INPUT) from None
        self.stderr.write("")
        self.show(ImportReport.from_json(run.report), options["format"], run)

    def mapping(self, name: str):
        try:
            return load_mapping(Path(name).read_bytes(), name)
        except OSError as error:
            raise CommandError(f"--mapping: cannot read {name}: {error.strerror}", returncode=EXIT_BAD_INPUT) from None
        except MappingError as error:
            raise CommandError("\n".join(str(d) for d in error.diagnostics), returncode=EXIT_BAD_INPUT) from None

    def actor(self, email: str | None, contract: Contract, dry_run: bool) -> User | None:
        if email is None:
            if dry_run:
                return None
            raise CommandError(
                "--as: name the person importing (their e-mail): every imported ticket records who imported it",
                returncode=EXIT_BAD_INPUT,
            )
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise CommandError(f"--as: no person {email!r}", returncode=EXIT_BAD_INPUT)
        return person

    def progress(self, run: ImportRun) -> None:
        width = 30
        filled = int(width * run.progress_percent / 100)
        line = (
            f"\r[{'#' * filled}{'.' * (width - filled)}] {run.done:,}/{run.total:,} tickets "
            f"({run.progress_percent}%), {run.imported:,} imported, {run.skipped:,} already there, "
            f"{run.events:,} events"
        )
        stream = getattr(self.stderr, "_out", sys.stderr)
        stream.write(line if stream.isatty() else line.lstrip("\r") + "\n")
        stream.flush()

    def show(self, report: ImportReport, output: str, run: ImportRun | None = None) -> None:
        if output == "json":
            data = report.as_json()
            if run is not None:
                data["run"] = {
                    "id": run.pk,
                    "status": run.status,
                    "imported": run.imported,
                    "skipped": run.skipped,
                    "events": run.events,
                }
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        write = self.stdout.write
        heading = "imported" if run is not None else "dry run"
        write(
            f"{heading}: {report.file_name} (sha256 {report.file_sha256[:12]}) into {report.contract} "
            f"with mapping {report.mapping_name}"
        )
        if report.error:
            write(f"error: {report.error}")
        write(report.summary())
        if run is not None:
            write(
                f"run {run.pk}: {run.imported:,} tickets imported, {run.skipped:,} already there, {run.events:,} events"
            )
        if report.creates_teams or report.creates_requesters:
            verb = "made" if run is not None else "to make"
            write(f"placeholders {verb}: {len(report.creates_teams)} teams, {report.creates_requesters} requesters")
        unmapped = report.unmapped_rows()
        if unmapped:
            write(f"unmapped values ({len(unmapped)}):")
            for row in unmapped[:SHOWN_UNMAPPED]:
                why = f" ({row['why']})" if row["why"] else ""
                write(f"  {row['vocabulary']}: {row['value']!r} in {row['tickets']} tickets{why}")
            if len(unmapped) > SHOWN_UNMAPPED:
                write(f"  ... and {len(unmapped) - SHOWN_UNMAPPED} more (--format json lists them all)")
        if report.bad_row_count:
            write(f"bad rows ({report.bad_row_count}):")
            for bad in report.bad_rows:
                write(f"  {report.file_name}:{bad}")
            if report.bad_row_count > len(report.bad_rows):
                write(f"  ... and {report.bad_row_count - len(report.bad_rows)} more")
        if report.ticket_problem_count:
            write(f"tickets that cannot be imported ({report.ticket_problem_count}):")
            for line, reference, message in report.ticket_problems:
                write(f"  {report.file_name}:line {line}: {reference}: {message}")
        approximations = report.approximation_lines()
        if approximations:
            write("approximated:")
            for text in approximations:
                write(f"  {text}")
