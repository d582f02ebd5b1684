"""``servicepact events export`` and ``servicepact events verify``: the live event log, out and checked.

    servicepact events export [--since TIME] [--contract SLUG] [--output FILE]
    servicepact events verify [--ticket NUMBER]

``export`` writes the SLA specification's JSON Lines, for ``servicepact sla replay`` and ``report``;
``verify`` walks every ticket's hash chain and exits 1 when any event was changed, removed or reordered.
"""

import sys
from datetime import datetime, timezone as dt_timezone

from django.core.management.base import BaseCommand, CommandError

from servicepact.contracts.models import Contract
from servicepact.desk.eventlog import export_lines
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import Ticket
from servicepact.desk.numbering import verify_ledger
from servicepact.evidence import guard
from servicepact.sla.timefmt import InstantError, parse_instant

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Export the tickets' event log as JSON Lines, or verify its hash chains."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export,verify}")
        export = actions.add_parser("export", help="the event log in the SLA specification's format")
        export.add_argument("--since", help="only tickets with events at or after this RFC 3339 instant")
        export.add_argument("--contract", help="only tickets of this contract (its id, e.g. globex-ito)")
        export.add_argument("--output", help="write to this file instead of standard output")
        verify = actions.add_parser("verify", help="check every ticket's hash chain; exit 1 on a break")
        verify.add_argument("--ticket", help="check only this ticket (its number, e.g. INC0000001)")

    def handle(self, *args, action: str, **options):
        if action == "export":
            self.export(options.get("since"), options.get("contract"), options.get("output"))
        else:
            self.verify(options.get("ticket"))

    def export(self, since_text: str | None, contract_slug: str | None, output: str | None) -> None:
        since = None
        if since_text:
            try:
                since = datetime.fromtimestamp(parse_instant(since_text), tz=dt_timezone.utc)
            except InstantError as problem:
                raise CommandError(f"--since: {problem}", returncode=BAD_INPUT) from None
        tickets = Ticket.objects.all()
        if contract_slug:
            contract = Contract.objects.filter(slug=contract_slug).first()
            if contract is None:
                known = ", ".join(Contract.objects.order_by("slug").values_list("slug", flat=True)) or "none"
                raise CommandError(f"--contract: no contract {contract_slug!r} (known: {known})", returncode=BAD_INPUT)
            tickets = tickets.filter(contract=contract)
        if output:
            try:
                with open(output, "wb") as stream:
                    stream.writelines(export_lines(tickets, since))
            except OSError as problem:
                raise CommandError(f"--output: cannot write {output}: {problem.strerror}", returncode=BAD_INPUT) from None
        else:
            stream = getattr(self.stdout, "_out", sys.stdout)
            buffer = getattr(stream, "buffer", None)
            for line in export_lines(tickets, since):
                if buffer is not None:
                    buffer.write(line)
                else:
                    stream.write(line.decode())
            stream.flush()

    def verify(self, number: str | None) -> None:
        tickets = None
        if number:
            tickets = Ticket.objects.filter(number=number)
            if not tickets.exists():
                raise CommandError(f"--ticket: no ticket {number!r}", returncode=BAD_INPUT)
        checked = (tickets if tickets is not None else Ticket.objects).count()
        breaks = 0
        for found in verify_all(tickets):
            breaks += 1
            self.stderr.write(f"broken chain: {found}")
        # The whole database, not one ticket: the numbers issued and the database's own refusals.
        gaps = guard_problems = 0
        if tickets is None:
            for found in verify_ledger():
                gaps += 1
                self.stderr.write(f"issued number: {found}")
            for found in guard.problems():
                guard_problems += 1
                self.stderr.write(f"write-once guard: {found}")
        if breaks or gaps or guard_problems:
            raise CommandError(
                f"{breaks} break(s) in the hash chains of {checked} ticket(s), {gaps} problem(s) with the issued "
                f"numbers, {guard_problems} with the write-once guard", returncode=1,
            )
        if tickets is None:
            self.stdout.write(f"{checked} ticket(s) checked: every hash chain is whole, every issued number is "
                              "held by its ticket, and the database refuses changes to written-once rows")
        else:
            self.stdout.write(f"{checked} ticket(s) checked: every hash chain is whole")
