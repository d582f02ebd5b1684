"""``servicepact restore FILE [--force]``: a backup archive back into an empty database, then migrate."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from servicepact.runtime.backup import BackupError, restore_backup

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Restore a backup archive written by `servicepact backup` (stop the service first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive written by servicepact backup")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that holds data (everything in it is lost)"
        )

    def handle(self, *, file: str, force: bool, **options) -> None:
        try:
            summary = restore_backup(Path(file), force=force)
        except BackupError as problem:
            self.stderr.write(f"servicepact: restore: {problem}")
            raise SystemExit(BAD_INPUT) from None
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"restored the {summary.engine} database and {summary.uploads} uploaded file(s) from {file}; "
            "migrated to this version"
        )
