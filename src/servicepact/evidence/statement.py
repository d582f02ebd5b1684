"""The checkpoint format (docs/checkpoints.md): canonical bytes, leaves, groups, the signed statement.

Pure Python, no Django, so that what servicepact signs and what the offline verifier checks are one code.

- Canonical bytes of a JSON value: keys sorted, no whitespace, UTF-8 (``json.dumps(value, sort_keys=True,
  separators=(",", ":"), ensure_ascii=False)``), the form ticket events are hashed in.
- A ticket's leaf: ``{"ticket": number, "events": count, "head": hash of its last event}``; a ledger's leaf
  (the numbers issued of one kind): ``{"ledger": kind, "issued": count, "head": hash of its last entry}``.
- A group: the leaves of one contract's tickets (``contract:<slug>``), sorted by number, or the ledger
  (``ledger``), sorted by kind; its root is the Merkle root of its leaves' canonical bytes.
- The checkpoint's tree has one leaf per group, ``{"group": name, "leaves": count, "root": group root}``, in
  the order of the names; its root is what the statement names and the provider signs.
- The statement: ``{"format", "sequence", "taken_at", "reason", "root", "groups", "previous", "key"}`` as
  canonical text; ``previous`` is the SHA-256 of the previous checkpoint's statement text, ``key`` the
  signer's raw Ed25519 public key, both hex. The signature is Ed25519 over the statement's UTF-8 bytes.
- A document (the file one downloads and keeps): ``{"format", "statement", "signature", "groups"}``, each
  group with its ``name``, ``index`` in the tree, ``root``, ``leaves`` and ``proof`` (the inclusion proof of
  its leaf, hex). The whole checkpoint has every group; a contract's copy has its own.
"""

import base64
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from servicepact.evidence import merkle

FORMAT = "servicepact-checkpoint/1"
LEDGER_GROUP = "ledger"
CONTRACT_GROUP_PREFIX = "contract:"


class CheckpointFormatError(ValueError):
    """A file that is not a checkpoint of this format; the message says what is wrong where."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def ticket_leaf(number: str, events: int, head: str) -> dict:
    return {"ticket": number, "events": events, "head": head}


def ledger_leaf(kind: str, issued: int, head: str) -> dict:
    return {"ledger": kind, "issued": issued, "head": head}


def contract_group(slug: str) -> str:
    return f"{CONTRACT_GROUP_PREFIX}{slug}"


def group_root(leaves: Sequence[dict]) -> bytes:
    return merkle.root_of([merkle.leaf_hash(canonical(leaf)) for leaf in leaves])


def group_leaf(name: str, count: int, root_hex: str) -> dict:
    return {"group": name, "leaves": count, "root": root_hex}


@dataclass(frozen=True)
class Group:
    name: str
    leaves: tuple[dict, ...]

    @property
    def root(self) -> str:
        return group_root(self.leaves).hex()

    def tree_leaf(self) -> dict:
        return group_leaf(self.name, len(self.leaves), self.root)


@dataclass(frozen=True)
class GroupHead:
    """A group as the tree holds it: its name, number of leaves and root (its leaves need not be at hand)."""

    name: str
    count: int
    root: str

    def tree_leaf(self) -> dict:
        return group_leaf(self.name, self.count, self.root)


def tree_leaf_hashes(heads: Sequence[GroupHead]) -> list[bytes]:
    return [merkle.leaf_hash(canonical(head.tree_leaf())) for head in heads]


def checkpoint_root(heads: Sequence[GroupHead]) -> str:
    return merkle.root_of(tree_leaf_hashes(heads)).hex()


def statement_text(
    *, sequence: int, taken_at: str, reason: str, root: str, groups: int, previous: str, key: str
) -> str:
    return canonical(
        {
            "format": FORMAT,
            "sequence": sequence,
            "taken_at": taken_at,
            "reason": reason,
            "root": root,
            "groups": groups,
            "previous": previous,
            "key": key,
        }
    ).decode()


def document(
    statement: str, signature: bytes, heads: Sequence[GroupHead], groups: Iterable[tuple[int, Sequence[dict]]]
) -> dict:
    """The file: the statement, its signature, and the groups given as (index among ``heads``, leaves)."""
    hashes = tree_leaf_hashes(heads)
    return {
        "format": FORMAT,
        "statement": statement,
        "signature": base64.b64encode(signature).decode(),
        "groups": [
            {
                "name": heads[index].name,
                "index": index,
                "root": heads[index].root,
                "leaves": list(leaves),
                "proof": [sibling.hex() for sibling in merkle.inclusion_proof(index, hashes)],
            }
            for index, leaves in groups
        ],
    }


# -- reading a document --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentGroup:
    name: str
    index: int
    root: str
    leaves: tuple[dict, ...]
    proof: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    statement_text: str
    statement: dict
    signature: bytes
    groups: tuple[DocumentGroup, ...]

    @property
    def sequence(self) -> int:
        return self.statement["sequence"]


def _require(condition: bool, where: str, what: str) -> None:
    if not condition:
        raise CheckpointFormatError(f"{where}: {what}")


def _is_hex(value: Any, length: int = 64) -> bool:
    return isinstance(value, str) and len(value) == length and all(c in "0123456789abcdef" for c in value)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def read_document(text: str | bytes) -> Document:
    """Parse and check the shape of a checkpoint file; CheckpointFormatError names the first problem."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as problem:
        raise CheckpointFormatError(f"not JSON: {problem}") from None
    _require(isinstance(raw, dict), "checkpoint", "not a JSON object")
    _require(raw.get("format") == FORMAT, "format", f"expected {FORMAT!r}, found {raw.get('format')!r}")
    text_value = raw.get("statement")
    _require(isinstance(text_value, str), "statement", "missing, or not a string")
    try:
        statement = json.loads(text_value)
    except ValueError:
        raise CheckpointFormatError("statement: not JSON") from None
    _require(isinstance(statement, dict), "statement", "not a JSON object")
    _require(canonical(statement).decode() == text_value, "statement", "not in canonical form")
    _require(statement.get("format") == FORMAT, "statement.format", f"expected {FORMAT!r}")
    for name in ("sequence", "groups"):
        _require(_is_count(statement.get(name)), f"statement.{name}", "not a whole number")
    for name in ("root", "key"):
        _require(_is_hex(statement.get(name)), f"statement.{name}", "not 64 hexadecimal digits")
    _require(
        statement.get("previous") == "" or _is_hex(statement.get("previous")),
        "statement.previous",
        "neither empty nor 64 hexadecimal digits",
    )
    for name in ("taken_at", "reason"):
        _require(isinstance(statement.get(name), str), f"statement.{name}", "not a string")
    try:
        signature = base64.b64decode(raw.get("signature") or "", validate=True)
    except (ValueError, TypeError):
        raise CheckpointFormatError("signature: not base64") from None
    _require(len(signature) == 64, "signature", "not an Ed25519 signature (64 bytes)")
    groups = raw.get("groups")
    _require(isinstance(groups, list), "groups", "not a list")
    parsed = []
    for position, group in enumerate(groups):
        where = f"groups[{position}]"
        _require(isinstance(group, dict), where, "not an object")
        _require(isinstance(group.get("name"), str), f"{where}.name", "not a string")
        _require(_is_count(group.get("index")), f"{where}.index", "not a whole number")
        _require(_is_hex(group.get("root")), f"{where}.root", "not 64 hexadecimal digits")
        proof = group.get("proof")
        _require(
            isinstance(proof, list) and all(_is_hex(step) for step in proof), f"{where}.proof", "not a list of hashes"
        )
        leaves = group.get("leaves")
        _require(isinstance(leaves, list), f"{where}.leaves", "not a list")
        for number, leaf in enumerate(leaves):
            _check_leaf(leaf, f"{where}.leaves[{number}]", ledger=group["name"] == LEDGER_GROUP)
        parsed.append(DocumentGroup(group["name"], group["index"], group["root"], tuple(leaves), tuple(proof)))
    return Document(text_value, statement, signature, tuple(parsed))


def _check_leaf(leaf: Any, where: str, *, ledger: bool) -> None:
    keys = ("ledger", "issued", "head") if ledger else ("ticket", "events", "head")
    _require(isinstance(leaf, dict) and set(leaf) == set(keys), where, f"not a leaf with {', '.join(keys)}")
    _require(isinstance(leaf[keys[0]], str), f"{where}.{keys[0]}", "not a string")
    _require(_is_count(leaf[keys[1]]), f"{where}.{keys[1]}", "not a whole number")
    _require(
        _is_hex(leaf["head"]) or (leaf[keys[1]] == 0 and leaf["head"] == ""),
        f"{where}.head",
        "not 64 hexadecimal digits",
    )
