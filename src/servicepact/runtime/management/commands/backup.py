"""``servicepact backup FILE``: the database, attachments and generated keys in one archive, while serving."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from servicepact.runtime.backup import BackupError, create_backup

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Write a backup archive (tar) of the database, the uploads and the keys in the data directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to write, e.g. /backups/servicepact-2026-03-01.tar")

    def handle(self, *, file: str, **options) -> None:
        try:
            summary = create_backup(Path(file))
        except BackupError as problem:
            self.stderr.write(f"servicepact: backup: {problem}")
            raise SystemExit(BAD_INPUT) from None
        self.stdout.write(
            f"backed up the {summary.engine} database ({summary.database_bytes} bytes) and "
            f"{summary.uploads} uploaded file(s) to {file}"
        )
