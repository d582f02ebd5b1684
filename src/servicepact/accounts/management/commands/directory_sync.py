"""``servicepact directory_sync [SLUG ...] [--dry-run]``

Synchronizes the organizations' directories (all enabled ones, or those named) and prints each report.
With ``--dry-run`` nothing changes: the report says what would. Exit status 2 for an unknown directory,
1 when a directory could not be read.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from servicepact.accounts.directory import synchronize
from servicepact.accounts.models import DirectorySource


class Command(BaseCommand):
    help = "Synchronize people, departments, managers and roles from the organizations' LDAP directories."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", metavar="SLUG")
        parser.add_argument("--dry-run", action="store_true", help="report what would change; change nothing")

    def handle(self, *args, sources, dry_run, **options):
        found = DirectorySource.objects.select_related("organization")
        if sources:
            found = found.filter(slug__in=sources)
            missing = sorted(set(sources) - set(found.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"no such directory: {', '.join(missing)}", returncode=2)
        else:
            found = found.filter(enabled=True)
        failed = False
        for source in found:
            run = synchronize(source, dry_run=dry_run)
            self.stdout.write(
                json.dumps({"directory": source.slug, "dry_run": dry_run, "error": run.error, **run.report})
            )
            failed = failed or bool(run.error)
        if failed:
            raise CommandError("a directory could not be read", returncode=1)
