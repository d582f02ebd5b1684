"""The Merkle tree of a checkpoint: RFC 6962 (Certificate Transparency), section 2.1, with SHA-256.

- a leaf's hash is SHA-256(0x00 || leaf bytes), an inner node's SHA-256(0x01 || left || right), so that a
  leaf can never pass for a node;
- the tree of n > 1 leaves splits at k, the largest power of two below n: root(D[0:k]) and root(D[k:n]);
- the empty tree's root is SHA-256 of nothing.

An inclusion proof (RFC 6962 2.1.1, ``PATH``) lets whoever holds one leaf and the signed root check that
the leaf is in the tree without the other leaves: a customer's part of a checkpoint carries one. Pure
Python, no Django: the offline verifier and docs/checkpoints.md rely on exactly this.
"""

import hashlib
from collections.abc import Sequence


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """The Merkle tree hash of leaves given by their leaf hashes."""
    n = len(leaf_hashes)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hashes[0]
    k = _split(n)
    return node_hash(root_of(leaf_hashes[:k]), root_of(leaf_hashes[k:]))


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf ``index``: the sibling hashes from the leaf up to the root."""
    n = len(leaf_hashes)
    if not 0 <= index < n:
        raise IndexError(f"leaf {index} of a tree of {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return inclusion_proof(index, leaf_hashes[:k]) + [root_of(leaf_hashes[k:])]
    return inclusion_proof(index - k, leaf_hashes[k:]) + [root_of(leaf_hashes[:k])]


def root_from_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """The root that ``proof`` leads to from leaf hash ``leaf`` at ``index`` of ``size``; None when the proof
    does not fit the tree's shape (RFC 9162, 2.1.3.2)."""
    if not 0 <= index < size:
        return None
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            result = node_hash(sibling, result)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return result if sn == 0 else None
