"""The digest a report carries, so that both parties can show they computed from the same inputs.

``contract_sha256`` is the SHA-256 of the contract file's exact bytes. ``events_sha256`` is the SHA-256
of the canonical event log (see ``events.canonical_event_log`` and docs/measures.md) of the WHOLE log
that was given, not only of the events before the period's end: both parties hash the log they exchanged,
and a log that also holds later events still yields the same report. With an outage log (SLA-SPEC
section 6), ``outages_sha256`` is the SHA-256 of the canonical outage log, likewise of the whole log given.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Iterable, Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from servicepact.sla.events import Event, canonical_event_lines
from servicepact.sla.outages import Outage, canonical_outage_lines

ALGORITHM = "sha256"


# The contract files a digest covers: one file's bytes, or (version, bytes) of each of several versions.
ContractFiles = bytes | Sequence[tuple[int, bytes]]


def digest(contract_bytes: ContractFiles, canonical_log: bytes) -> dict:
    return digest_lines(contract_bytes, (canonical_log,))


def digest_lines(contract_bytes: ContractFiles, canonical_lines: Iterable[bytes]) -> dict:
    """The same digest, hashing the canonical log piece by piece (``events.canonical_event_lines``),
    so that a log of millions of events is never held whole."""
    events_hash = hashlib.sha256()
    for line in canonical_lines:
        events_hash.update(line)
    return {"algorithm": ALGORITHM, **contract_digest(contract_bytes), "events_sha256": events_hash.hexdigest()}


def contract_digest(contract_bytes: ContractFiles) -> dict:
    """``contract_sha256`` of one file: the SHA-256 of its bytes. Of several versions: the SHA-256 of the
    lines ``<file's SHA-256 in lowercase hex>\n``, one per file in ascending order of version, and
    ``contract_versions`` listing each file's version and SHA-256 in that order."""
    if isinstance(contract_bytes, bytes):
        return {"contract_sha256": hashlib.sha256(contract_bytes).hexdigest()}
    files = [
        {"version": version, "sha256": hashlib.sha256(raw).hexdigest()}
        for version, raw in sorted(contract_bytes, key=lambda file: file[0])
    ]
    combined = "".join(f"{entry['sha256']}\n" for entry in files).encode()
    return {"contract_sha256": hashlib.sha256(combined).hexdigest(), "contract_versions": files}


def outages_digest(outages: Sequence[Outage]) -> str:
    """``outages_sha256``: the SHA-256 of the canonical outage log (``outages.canonical_outage_lines``)."""
    outages_hash = hashlib.sha256()
    for line in canonical_outage_lines(outages):
        outages_hash.update(line)
    return outages_hash.hexdigest()


class DigestInBackground:
    """Hashes the canonical log in a forked process while the caller goes on (computing the report).

    Serialising millions of events to their canonical form is the largest single cost of a report, and
    it needs nothing the report computes, so a one-shot command can run it on a second core. The child
    shares the parsed log copy-on-write. Where fork is unavailable, or the child fails, the digest is
    computed in this process when asked for. Long-running servers should not use this (forking a
    process with threads is unsafe); they call ``digest_lines`` directly.
    """

    def __init__(self, contract_bytes: ContractFiles, events_by_ticket: Mapping[str, Sequence[Event]]):
        self._contract_bytes = contract_bytes
        self._events_by_ticket = events_by_ticket
        self._receiver: Connection | None = None
        self._process: BaseProcess | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=self._run, args=(sender,), daemon=True)
            self._process.start()
            sender.close()

    def _run(self, sender: Connection) -> None:
        sender.send(digest_lines(self._contract_bytes, canonical_event_lines(self._events_by_ticket)))
        sender.close()

    def result(self) -> dict:
        if self._receiver is not None and self._process is not None:
            try:
                found = self._receiver.recv()
            except EOFError:  # the child died without an answer: compute it here
                found = None
            finally:
                self._receiver.close()
                self._process.join()
            if found is not None:
                return found
        return digest_lines(self._contract_bytes, canonical_event_lines(self._events_by_ticket))
