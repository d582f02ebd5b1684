"""``servicepact cmdb import|export --contract SLUG ...``: a contract's configuration items and relationships
as CSV (docs/cmdb.md).

    servicepact cmdb import --contract globex-ito --items items.csv [--relationships rel.csv] --as EMAIL [--dry-run]
    servicepact cmdb export --contract globex-ito [--relationships] [--output FILE]

An import checks every row first: with ``--dry-run``, or when any row is bad, it prints every problem as
``FILE:LINE: field: message`` and changes nothing; otherwise it creates or updates the items and adds the
relationships in one transaction, as the person named by ``--as``.

Exit status: 0 done (or a clean dry run); 1 refused (the person may not keep this contract's items); 2 bad
input (an unknown contract or person, a file that cannot be read, bad rows).
"""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from servicepact.accounts.models import User
from servicepact.cmdb import csv_io
from servicepact.cmdb.models import ConfigurationItem, Relationship
from servicepact.contracts.models import Contract

EXIT_REFUSED, EXIT_BAD_INPUT = 1, 2


class Command(BaseCommand):
    help = "Import or export a contract's configuration items and relationships as CSV."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=("import", "export"))
        parser.add_argument("--contract", required=True, help="the contract's id, like globex-ito")
        parser.add_argument("--items", help="import: the items' CSV file")
        parser.add_argument(
            "--relationships",
            nargs="?",
            const="-",
            help="import: the relationships' CSV file; export: write the relationships instead of the items",
        )
        parser.add_argument("--as", dest="actor", metavar="EMAIL", help="import: the person importing")
        parser.add_argument("--dry-run", action="store_true", help="import: check and report; change nothing")
        parser.add_argument("--output", help="export: the file to write (default standard output)")

    def handle(self, *args, **options):
        contract = Contract.objects.filter(slug=options["contract"]).first()
        if contract is None:
            raise CommandError(f"no contract {options['contract']}", returncode=EXIT_BAD_INPUT)
        if options["what"] == "export":
            self._export(contract, options)
        else:
            self._import(contract, options)

    def _export(self, contract: Contract, options) -> None:
        if options["relationships"]:
            rows = Relationship.objects.filter(source__contract=contract).select_related("source", "target")
            body = csv_io.export_relationships(rows.order_by("source__key", "kind", "target__key"))
        else:
            items = ConfigurationItem.objects.filter(contract=contract).select_related("owner_team")
            body = csv_io.export_items(items.order_by("key"))
        if options["output"]:
            Path(options["output"]).write_text(body, encoding="utf-8")
        else:
            self.stdout.write(body, ending="")

    def _read(self, name: str | None) -> str:
        if not name or name == "-":
            return ""
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{name}: {error}", returncode=EXIT_BAD_INPUT) from error

    def _import(self, contract: Contract, options) -> None:
        if not options["actor"]:
            raise CommandError("name the person importing with --as EMAIL", returncode=EXIT_BAD_INPUT)
        actor = User.objects.filter(email__iexact=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active person {options['actor']}", returncode=EXIT_BAD_INPUT)
        items, relationships = self._read(options["items"]), self._read(options["relationships"])
        if not items and not relationships:
            raise CommandError("give --items, --relationships or both", returncode=EXIT_BAD_INPUT)
        files = {"items": options["items"], "relationships": options["relationships"]}
        try:
            report = csv_io.import_csv(
                contract, actor=actor, items_text=items, relationships_text=relationships, dry_run=options["dry_run"]
            )
        except PermissionDenied as refused:
            raise CommandError(str(refused), returncode=EXIT_REFUSED) from refused
        except csv_io.ImportRefusedError as refused:
            for problem in refused.report.problems:
                sys.stderr.write(f"{files[problem.file]}:{problem.line}: {problem.field}: {problem.message}\n")
            raise CommandError(
                f"{len(refused.report.problems)} problem(s); nothing was imported", returncode=EXIT_BAD_INPUT
            ) from None
        verb = "would create" if report.dry_run else "created"
        self.stdout.write(
            f"{verb} {report.created} item(s), updated {report.updated}, "
            f"added {report.related} relationship(s)" + (" (dry run: nothing changed)" if report.dry_run else "")
        )
