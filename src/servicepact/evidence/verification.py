"""Verifying a checkpoint against an event log, offline: the signature, the tree, then every chain.

Pure Python (and ``cryptography`` for Ed25519), no Django and no database: ``servicepact events verify
--checkpoint FILE`` runs it on the live database's log or on an export (``events export --chain``), and a
third party can do what it does with the few lines of docs/checkpoints.md.

The log is given as the export's lines, as dicts:

- a ticket event: ``{"ticket", "seq", "type", "at", "actor", "public", "data", "prev", "hash"}``, whose hash
  is SHA-256 over the canonical bytes of the line without ``hash``; an event one may not read has only
  ``{"ticket", "seq", "prev", "hash", "redacted": true}``: its links are checked, its content cannot be;
- an issued number: ``{"kind", "value", "number", "issued_at", "prev", "hash"}``, hashed the same way.

What is proved, for each group of the file: every ticket it names still has at least the events it had,
the event at the checkpoint's count hashes to the head it signed, and every event up to it hashes to the
next one's ``prev``; so none of those events was changed, removed or reordered, and no ticket was
deleted. For the ledger: every number issued up to the checkpoint is still recorded, unchanged, and held
by a ticket of the log.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from servicepact.evidence import merkle
from servicepact.evidence.statement import (
    LEDGER_GROUP,
    Document,
    canonical,
    group_leaf,
    group_root,
)

EVENT_FIELDS = ("ticket", "seq", "type", "at", "actor", "public", "data", "prev")
ISSUED_FIELDS = ("kind", "value", "number", "issued_at", "prev")


def line_hash(line: dict, fields: tuple[str, ...]) -> str:
    return hashlib.sha256(canonical({name: line.get(name) for name in fields})).hexdigest()


@dataclass
class Chain:
    """What the log showed of one chain (a ticket's events, or one kind's issued numbers)."""

    length: int = 0
    last_hash: str = ""
    hashes: dict[int, str] = field(default_factory=dict)  # at the positions a checkpoint names
    redacted: int = 0
    problems: list[str] = field(default_factory=list)
    issued_at: dict[str, str | None] = field(default_factory=dict)  # ledger only: number -> instant


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    tickets: int = 0
    events: int = 0
    redacted: int = 0
    numbers: int = 0

    @property
    def holds(self) -> bool:
        return not self.problems


def verify_signature(document: Document, trusted_key: bytes) -> list[str]:
    """The statement is signed by ``trusted_key`` (raw Ed25519 public key) and names it."""
    named = document.statement["key"]
    if named != trusted_key.hex():
        return [f"signature: the statement names key {named}, not the trusted key {trusted_key.hex()}"]
    try:
        Ed25519PublicKey.from_public_bytes(trusted_key).verify(document.signature, document.statement_text.encode())
    except InvalidSignature:
        return ["signature: does not verify: the statement is not the one the provider signed"]
    return []


def verify_tree(document: Document) -> list[str]:
    """Each group's leaves give its root, and its inclusion proof leads from it to the signed root."""
    problems = []
    statement = document.statement
    for group in document.groups:
        computed = group_root(group.leaves).hex()
        if computed != group.root:
            problems.append(f"{group.name}: its leaves give root {computed}, the file says {group.root}")
            continue
        leaf = merkle.leaf_hash(canonical(group_leaf(group.name, len(group.leaves), group.root)))
        reached = merkle.root_from_proof(
            group.index, statement["groups"], leaf, [bytes.fromhex(step) for step in group.proof]
        )
        if reached is None or reached.hex() != statement["root"]:
            problems.append(f"{group.name}: its inclusion proof does not lead to the signed root {statement['root']}")
    names = [group.name for group in document.groups]
    if len(set(names)) != len(names):
        problems.append("groups: a group is given twice")
    return problems


def _follow(chain: Chain, line: dict, position: int, fields: tuple[str, ...], wanted: set[int], subject: str) -> None:
    """One more entry of a chain, in order: its position, its link, and its hash (unless redacted)."""
    if position != chain.length + 1:
        chain.problems.append(
            f"{subject}: entry {position} follows entry {chain.length} (an entry is missing or out of order)"
        )
    if line.get("prev") != chain.last_hash:
        chain.problems.append(
            f"{subject} #{position}: previous hash: expected {chain.last_hash or '(none)'}, "
            f"stored {line.get('prev') or '(none)'}"
        )
    stored = line.get("hash")
    if line.get("redacted"):
        chain.redacted += 1
    else:
        computed = line_hash(line, fields)
        if computed != stored:
            chain.problems.append(f"{subject} #{position}: hash: expected {computed}, stored {stored}")
    chain.length = max(chain.length, position)
    chain.last_hash = stored if isinstance(stored, str) else ""
    if position in wanted:
        chain.hashes[position] = chain.last_hash


def read_log(lines: Iterable[dict], document: Document) -> tuple[dict[str, Chain], dict[str, Chain]]:
    """The tickets' and the ledger's chains as the log shows them."""
    wanted_events: dict[str, set[int]] = {}
    wanted_issued: dict[str, set[int]] = {}
    for group in document.groups:
        for leaf in group.leaves:
            if group.name == LEDGER_GROUP:
                wanted_issued.setdefault(leaf["ledger"], set()).add(leaf["issued"])
            else:
                wanted_events.setdefault(leaf["ticket"], set()).add(leaf["events"])
    tickets: dict[str, Chain] = {}
    ledger: dict[str, Chain] = {}
    for line in lines:
        if "ticket" in line:
            number = str(line["ticket"])
            chain = tickets.setdefault(number, Chain())
            _follow(chain, line, _position(line.get("seq")), EVENT_FIELDS, wanted_events.get(number, set()), number)
        elif "kind" in line and "number" in line:
            kind = str(line["kind"])
            chain = ledger.setdefault(kind, Chain())
            _follow(
                chain,
                line,
                _position(line.get("value")),
                ISSUED_FIELDS,
                wanted_issued.get(kind, set()),
                f"ledger of {kind}",
            )
            chain.issued_at[str(line["number"])] = line.get("issued_at")
    return tickets, ledger


def display_instant(text: str) -> str:
    """An ISO 8601 instant as UTC to the second (``2026-03-02T10:00:00Z``); as given when it is not one."""
    try:
        return datetime.fromisoformat(text).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return str(text)


def _position(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def verify(document: Document, lines: Iterable[dict], trusted_key: bytes) -> Outcome:
    """Everything: the signature, the tree, and the log against every group of ``document``."""
    outcome = Outcome()
    outcome.problems += verify_signature(document, trusted_key)
    outcome.problems += verify_tree(document)
    tickets, ledger = read_log(lines, document)
    outcome.events = sum(chain.length for chain in tickets.values())
    outcome.redacted = sum(chain.redacted for chain in tickets.values())
    for group in document.groups:
        for leaf in group.leaves:
            if group.name == LEDGER_GROUP:
                outcome.problems += _ledger_problems(leaf, ledger.get(leaf["ledger"]), tickets)
                outcome.numbers += leaf["issued"]
            else:
                outcome.tickets += 1
                outcome.problems += _ticket_problems(leaf, tickets.get(leaf["ticket"]))
    # Breaks after the checkpoint's events are reported too: the log must be whole to be believed.
    named = {leaf.get("ticket") for group in document.groups for leaf in group.leaves}
    for number, chain in sorted(tickets.items()):
        if number not in named:
            outcome.problems += chain.problems
    return outcome


def _ticket_problems(leaf: dict, chain: Chain | None) -> list[str]:
    number, count, head = leaf["ticket"], leaf["events"], leaf["head"]
    if chain is None:
        return [f"{number}: in the checkpoint with {count} event(s), missing from the log (deleted)"]
    problems = list(chain.problems)
    if chain.length < count:
        problems.append(f"{number}: the checkpoint holds {count} event(s), the log {chain.length} (truncated)")
    elif chain.hashes.get(count) != head:
        problems.append(
            f"{number} #{count}: hash {chain.hashes.get(count) or '(none)'} is not the checkpoint's "
            f"head {head} (the history up to the checkpoint was rewritten)"
        )
    return problems


def _ledger_problems(leaf: dict, chain: Chain | None, tickets: dict[str, Chain]) -> list[str]:
    kind, issued, head = leaf["ledger"], leaf["issued"], leaf["head"]
    if issued == 0:
        return []
    if chain is None:
        return [f"ledger of {kind}: in the checkpoint with {issued} number(s), missing from the log"]
    problems = list(chain.problems)
    if chain.length < issued:
        problems.append(
            f"ledger of {kind}: the checkpoint holds {issued} number(s), the log {chain.length} (truncated)"
        )
    elif chain.hashes.get(issued) != head:
        problems.append(
            f"ledger of {kind} #{issued}: hash {chain.hashes.get(issued) or '(none)'} is not the "
            f"checkpoint's head {head} (the ledger was rewritten)"
        )
    for number, issued_at in chain.issued_at.items():
        if number not in tickets:
            when = f"issued {display_instant(issued_at)}" if issued_at else "issued before the ledger was kept"
            problems.append(f"{number}: {when}, missing")
    return problems
