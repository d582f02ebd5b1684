"""The digest a report carries, so that both parties can show they computed from the same inputs.

``contract_sha256`` is the SHA-256 of the contract file's exact bytes. ``events_sha256`` is the SHA-256
of the canonical event log (see ``events.canonical_event_log`` and docs/measures.md) of the WHOLE log
that was given, not only of the events before the period's end: both parties hash the log they exchanged,
and a log that also holds later events still yields the same report.
"""

from __future__ import annotations

import hashlib

ALGORITHM = "sha256"


def digest(contract_bytes: bytes, canonical_log: bytes) -> dict:
    return {
        "algorithm": ALGORITHM,
        "contract_sha256": hashlib.sha256(contract_bytes).hexdigest(),
        "events_sha256": hashlib.sha256(canonical_log).hexdigest(),
    }
