"""``servicepact events verify --checkpoint FILE``: a kept checkpoint against the database or an export.

The trusted key is the one given (``--public-key``, PEM or hex), else this installation's own; the log is
the export given (``--events``, from ``events export --chain``), else the live database read the same way.
The checking itself is ``verification.verify``, which needs neither Django nor a database.
"""

from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm

from servicepact.evidence import hashed_log, signing
from servicepact.evidence.statement import CheckpointFormatError, read_document
from servicepact.evidence.verification import Outcome, verify


class BadInput(ValueError):
    """A file that cannot be read or is not what it should be; the message names it."""


def verify_checkpoint_file(checkpoint: str, *, events: str | None = None, public_key: str | None = None) -> Outcome:
    try:
        document = read_document(Path(checkpoint).read_bytes())
    except OSError as problem:
        raise BadInput(f"--checkpoint: cannot read {checkpoint}: {problem.strerror}") from None
    except CheckpointFormatError as problem:
        raise BadInput(f"--checkpoint: {checkpoint}: {problem}") from None
    if public_key:
        try:
            trusted = signing.read_public_key(Path(public_key).read_bytes())
        except OSError as problem:
            raise BadInput(f"--public-key: cannot read {public_key}: {problem.strerror}") from None
        except (ValueError, UnsupportedAlgorithm):
            raise BadInput(f"--public-key: {public_key} holds no Ed25519 public key (PEM or 64 hex digits)") from None
    else:
        trusted = signing.raw_public_key()
    if events:
        if not Path(events).is_file():
            raise BadInput(f"--events: no file {events}")
        try:
            return verify(document, hashed_log.read_export(events), trusted)
        except hashed_log.ExportError as problem:
            raise BadInput(f"--events: {problem}") from None
    return verify(document, hashed_log.all_lines(), trusted)
