"""``servicepact events export`` and ``servicepact events verify``: the live event log, out and checked.

    servicepact events export [--since TIME] [--contract SLUG] [--chain] [--output FILE]
    servicepact events export --outages [--since TIME] [--contract SLUG] [--output FILE]
    servicepact events verify [--ticket NUMBER]
    servicepact events verify --checkpoint FILE [--events FILE] [--public-key FILE]

``export`` writes the SLA specification's JSON Lines, for ``servicepact sla replay`` and ``report``; with
``--chain``, every event exactly as its hash covers it, with the hash, and the ledger of issued numbers
(docs/checkpoints.md); with ``--outages``, the outages of the contracts' services instead, as the
specification's canonical outage log (SLA-SPEC section 6), for ``servicepact report --outages``. ``verify`` walks every ticket's hash chain and the ledger, checks that the database
refuses changes, and exits 1 when any event was changed, removed or reordered or a ticket number issued is
held by no ticket; with ``--checkpoint``, it proves against a signed checkpoint (offline, from an export,
or from the database) that no event before it was changed or removed, however consistently.
"""

import sys
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from servicepact.availability.models import Outage
from servicepact.availability.queries import outage_log_lines
from servicepact.contracts.models import Contract
from servicepact.desk.eventlog import export_lines
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import Ticket
from servicepact.desk.numbering import verify_ledger
from servicepact.evidence import guard, hashed_log
from servicepact.evidence.checking import BadInput, verify_checkpoint_file
from servicepact.history.verification import verify_all as verify_record_histories
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
        export.add_argument(
            "--chain",
            action="store_true",
            help="every event as hashed, with its hash, and the ledger: for verify --checkpoint",
        )
        export.add_argument(
            "--outages",
            action="store_true",
            help="the outages of the services instead (with --since: those not ended before it), for report --outages",
        )
        verify = actions.add_parser("verify", help="check every ticket's hash chain; exit 1 on a break")
        verify.add_argument("--ticket", help="check only this ticket (its number, e.g. INC0000001)")
        verify.add_argument("--checkpoint", help="prove the log against this signed checkpoint file")
        verify.add_argument("--events", help="with --checkpoint: an export --chain file instead of the database")
        verify.add_argument(
            "--public-key",
            help="with --checkpoint: the provider's public key (PEM or hex) to trust, instead of this installation's",
        )

    def handle(self, *args, action: str, **options):
        if action == "export":
            if options.get("outages"):
                if options.get("chain"):
                    raise CommandError("--chain: not with --outages", returncode=BAD_INPUT)
                self.export_outages(options.get("since"), options.get("contract"), options.get("output"))
            elif options.get("chain"):
                self.export_chain(options.get("since"), options.get("contract"), options.get("output"))
            else:
                self.export(options.get("since"), options.get("contract"), options.get("output"))
        elif options.get("checkpoint"):
            if options.get("ticket"):
                raise CommandError(
                    "--ticket: not with --checkpoint, which checks every group it holds", returncode=BAD_INPUT
                )
            self.verify_checkpoint(options["checkpoint"], options.get("events"), options.get("public_key"))
        else:
            for name in ("events", "public_key"):
                if options.get(name):
                    raise CommandError(f"--{name.replace('_', '-')}: only with --checkpoint", returncode=BAD_INPUT)
            self.verify(options.get("ticket"))

    def export(self, since_text: str | None, contract_slug: str | None, output: str | None) -> None:
        since = None
        if since_text:
            try:
                since = datetime.fromtimestamp(parse_instant(since_text), tz=UTC)
            except InstantError as problem:
                raise CommandError(f"--since: {problem}", returncode=BAD_INPUT) from None
        tickets = self.tickets_of(contract_slug)
        self.write(export_lines(tickets, since), output)

    def export_outages(self, since_text: str | None, contract_slug: str | None, output: str | None) -> None:
        outages = Outage.objects.all()
        if contract_slug:
            outages = outages.filter(contract=self.contract_named(contract_slug))
        if since_text:
            try:
                since = datetime.fromtimestamp(parse_instant(since_text), tz=UTC)
            except InstantError as problem:
                raise CommandError(f"--since: {problem}", returncode=BAD_INPUT) from None
            outages = outages.exclude(end__lt=since)
        self.write(outage_log_lines(outages), output)

    def contract_named(self, contract_slug: str) -> Contract:
        contract = Contract.objects.filter(slug=contract_slug).first()
        if contract is None:
            known = ", ".join(Contract.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(f"--contract: no contract {contract_slug!r} (known: {known})", returncode=BAD_INPUT)
        return contract

    def tickets_of(self, contract_slug: str | None):
        tickets = Ticket.objects.all()
        if contract_slug:
            tickets = tickets.filter(contract=self.contract_named(contract_slug))
        return tickets

    def export_chain(self, since_text: str | None, contract_slug: str | None, output: str | None) -> None:
        if since_text:
            raise CommandError("--since: not with --chain, whose chains are whole", returncode=BAD_INPUT)
        if contract_slug:
            lines = hashed_log.event_lines(self.tickets_of(contract_slug))
        else:
            lines = hashed_log.all_lines()
        self.write((hashed_log.encode(line) for line in lines), output)

    def write(self, lines, output: str | None) -> None:
        if output:
            try:
                with open(output, "wb") as stream:
                    stream.writelines(lines)
            except OSError as problem:
                raise CommandError(
                    f"--output: cannot write {output}: {problem.strerror}", returncode=BAD_INPUT
                ) from None
        else:
            stream = getattr(self.stdout, "_out", sys.stdout)
            buffer = getattr(stream, "buffer", None)
            for line in lines:
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
            for found in verify_record_histories():
                breaks += 1
                self.stderr.write(f"broken record history: {found}")
            for found in verify_ledger():
                gaps += 1
                self.stderr.write(f"issued number: {found}")
            for found in guard.problems():
                guard_problems += 1
                self.stderr.write(f"write-once guard: {found}")
        if breaks or gaps or guard_problems:
            raise CommandError(
                f"{breaks} break(s) in the hash chains of {checked} ticket(s) and the records' histories, {gaps} "
                "problem(s) with the issued "
                f"numbers, {guard_problems} with the write-once guard",
                returncode=1,
            )
        if tickets is None:
            self.stdout.write(
                f"{checked} ticket(s) checked: every hash chain is whole (and every record's history), every issued "
                "number is held by its ticket, and the database refuses changes to written-once rows"
            )
        else:
            self.stdout.write(f"{checked} ticket(s) checked: every hash chain is whole")

    def verify_checkpoint(self, checkpoint: str, events: str | None, public_key: str | None) -> None:
        try:
            outcome = verify_checkpoint_file(checkpoint, events=events, public_key=public_key)
        except BadInput as problem:
            raise CommandError(str(problem), returncode=BAD_INPUT) from None
        source = events or "the database"
        for problem in outcome.problems:
            self.stderr.write(f"checkpoint: {problem}")
        if outcome.problems:
            raise CommandError(
                f"{len(outcome.problems)} problem(s): {source} does not hold the history the checkpoint signed",
                returncode=1,
            )
        redacted = f"; {outcome.redacted} event(s) redacted, their hashes chain" if outcome.redacted else ""
        numbers = f", {outcome.numbers} issued number(s)" if outcome.numbers else ""
        self.stdout.write(
            f"the checkpoint's signature and tree hold; {source} holds every event the checkpoint "
            f"signed, unchanged: {outcome.tickets} ticket(s){numbers}, {outcome.events} event(s) "
            f"read{redacted}"
        )
