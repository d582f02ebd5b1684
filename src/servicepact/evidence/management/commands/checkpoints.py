"""``servicepact checkpoints``: take a checkpoint now, write one to a file, or show the provider's key.

    servicepact checkpoints take
    servicepact checkpoints export [--sequence N] [--contract SLUG] [--output FILE]
    servicepact checkpoints key

``export`` writes the latest checkpoint (or number N) whole, or a contract's copy, as docs/checkpoints.md
describes; ``servicepact events verify --checkpoint FILE`` checks it. ``key`` prints the public key (PEM),
as ``openssl`` reads it, and its SHA-256 fingerprint.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from servicepact.evidence import signing
from servicepact.evidence.actions import CheckpointRefused, take_checkpoint
from servicepact.evidence.models import Checkpoint, CheckpointReason
from servicepact.evidence.queries import checkpoint_document, document_bytes
from servicepact.evidence.statement import contract_group

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Take a checkpoint of the event logs, export one, or show the provider's public key."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{take,export,key}")
        actions.add_parser("take", help="sign the heads of every chain now (nothing new if they have not moved)")
        export = actions.add_parser("export", help="a checkpoint, whole or one contract's copy, as a file")
        export.add_argument("--sequence", type=int, help="the checkpoint's number (default: the latest)")
        export.add_argument("--contract", help="only this contract's copy (its id, e.g. globex-ito)")
        export.add_argument("--output", help="write to this file instead of standard output")
        actions.add_parser("key", help="the provider's public key (PEM) and its fingerprint")

    def handle(self, *args, action: str, **options):
        if action == "take":
            try:
                checkpoint = take_checkpoint(reason=CheckpointReason.COMMAND)
            except CheckpointRefused as refused:
                for problem in refused.problems:
                    self.stderr.write(f"refused: {problem}")
                raise CommandError(
                    f"no checkpoint: {len(refused.problems)} problem(s) in the chains", returncode=1
                ) from None
            self.stdout.write(f"checkpoint {checkpoint.sequence}: root {checkpoint.root}")
        elif action == "export":
            self.export(options.get("sequence"), options.get("contract"), options.get("output"))
        else:
            self.stdout.write(signing.public_key_pem().decode(), ending="")
            self.stdout.write(f"fingerprint (SHA-256 of the raw key): {signing.fingerprint()}")

    def export(self, sequence: int | None, contract: str | None, output: str | None) -> None:
        checkpoints = Checkpoint.objects.order_by("-sequence")
        checkpoint = checkpoints.filter(sequence=sequence).first() if sequence else checkpoints.first()
        if checkpoint is None:
            raise CommandError(
                f"--sequence: no checkpoint {sequence}" if sequence else "no checkpoint taken yet", returncode=BAD_INPUT
            )
        groups = None
        if contract:
            groups = list(checkpoint.groups.filter(name=contract_group(contract)))
            if not groups:
                raise CommandError(
                    f"--contract: checkpoint {checkpoint.sequence} has no contract {contract!r}", returncode=BAD_INPUT
                )
        content = document_bytes(checkpoint_document(checkpoint, groups))
        if output:
            try:
                Path(output).write_bytes(content)
            except OSError as problem:
                raise CommandError(
                    f"--output: cannot write {output}: {problem.strerror}", returncode=BAD_INPUT
                ) from None
        else:
            self.stdout.write(content.decode(), ending="")
