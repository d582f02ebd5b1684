"""The digest a report carries, so that both parties can show they computed from the same inputs.

``contract_sha256`` is the SHA-256 of the contract file's exact bytes. ``events_sha256`` is the SHA-256
of the canonical event log (see ``events.canonical_event_log`` and docs/measures.md) of the WHOLE log
that was given, not only of the events before the period's end: both parties hash the log they exchanged,
and a log that also holds later events still yields the same report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

ALGORITHM = "sha256"


def digest(contract_bytes: bytes, canonical_log: bytes) -> dict:
    return digest_lines(contract_bytes, (canonical_log,))


def digest_lines(contract_bytes: bytes, canonical_lines: Iterable[bytes]) -> dict:
    """The same digest, hashing the canonical log piece by piece (``events.canonical_event_lines``),
    so that a log of millions of events is never held whole."""
    events_hash = hashlib.sha256()
    for line in canonical_lines:
        events_hash.update(line)
    return {
        "algorithm": ALGORITHM,
        "contract_sha256": hashlib.sha256(contract_bytes).hexdigest(),
        "events_sha256": events_hash.hexdigest(),
    }
