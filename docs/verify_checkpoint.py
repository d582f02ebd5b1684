#!/usr/bin/env python3
"""Verify a servicepact checkpoint without servicepact (docs/checkpoints.md). Needs Python 3.9+ and
``cryptography`` (pip install cryptography).

    python3 verify_checkpoint.py CHECKPOINT.json EVENTS-CHAIN.jsonl PROVIDER-KEY.pem

CHECKPOINT.json: a checkpoint or a contract's copy of one, as downloaded or mailed; EVENTS-CHAIN.jsonl: the
events with their hashes (``servicepact events export --chain``, or the download on the checkpoints
page); PROVIDER-KEY.pem: the provider's public key, as you obtained and compared it once. Prints each
problem; exits 0 when every event the checkpoint signed is in the log, unchanged, else 1.
"""

import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(hashes):
    """RFC 6962, 2.1: split at the largest power of two below n."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(merkle_root(hashes[:k]), merkle_root(hashes[k:]))


def root_from_proof(index, size, leaf, proof):
    """RFC 9162, 2.1.3.2."""
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            result = node_hash(sibling, result)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return result if sn == 0 else None


EVENT_FIELDS = ("ticket", "seq", "type", "at", "actor", "public", "data", "prev")
ISSUED_FIELDS = ("kind", "value", "number", "issued_at", "prev")


def main(checkpoint_path, events_path, key_path):
    problems = []
    checkpoint = json.load(open(checkpoint_path, encoding="utf-8"))
    statement = json.loads(checkpoint["statement"])

    # 1. The signature: Ed25519 over the statement's bytes, by the key you trust.
    key = load_pem_public_key(open(key_path, "rb").read())
    if key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex() != statement["key"]:
        problems.append("the statement names another key than the one trusted")
    try:
        key.verify(base64.b64decode(checkpoint["signature"]), checkpoint["statement"].encode())
    except Exception:
        problems.append("the signature does not verify")

    # 2. The tree: each group's leaves give its root; its proof leads from there to the signed root.
    wanted = {}
    for group in checkpoint["groups"]:
        leaves = group["leaves"]
        group_root = merkle_root([leaf_hash(canonical(leaf)) for leaf in leaves]).hex()
        tree_leaf = leaf_hash(canonical({"group": group["name"], "leaves": len(leaves), "root": group_root}))
        proof = [bytes.fromhex(step) for step in group["proof"]]
        reached = root_from_proof(group["index"], statement["groups"], tree_leaf, proof)
        if group_root != group["root"] or reached is None or reached.hex() != statement["root"]:
            problems.append(f"{group['name']}: not in the signed tree")
        for leaf in leaves:
            if "ticket" in leaf:
                wanted[("ticket", leaf["ticket"])] = (leaf["events"], leaf["head"])
            else:
                wanted[("ledger", leaf["ledger"])] = (leaf["issued"], leaf["head"])

    # 3. The chains: each line's hash covers it and the previous hash; the checkpoint's head must be reached.
    state, seen, issued_numbers = {}, {}, {}
    for raw in open(events_path, encoding="utf-8"):
        if not raw.strip():
            continue
        line = json.loads(raw)
        if "ticket" in line:
            chain, position, fields = ("ticket", line["ticket"]), line["seq"], EVENT_FIELDS
        else:
            chain, position, fields = ("ledger", line["kind"]), line["value"], ISSUED_FIELDS
            issued_numbers[line["number"]] = line["issued_at"]
        length, last = state.get(chain, (0, ""))
        if position != length + 1 or line["prev"] != last:
            problems.append(f"{chain[1]} #{position}: out of place, or not linked to the entry before")
        if (
            not line.get("redacted")
            and hashlib.sha256(canonical({f: line.get(f) for f in fields})).hexdigest() != line["hash"]
        ):
            problems.append(f"{chain[1]} #{position}: its content does not give its hash")
        state[chain] = (position, line["hash"])
        if chain in wanted and position == wanted[chain][0]:
            seen[chain] = line["hash"]
    for chain, (count, head) in wanted.items():
        if count and seen.get(chain) != head:
            problems.append(
                f"{chain[1]}: the log does not reach the checkpoint's head at #{count} (changed, truncated or deleted)"
            )
    if any(kind == "ledger" for kind, _ in wanted):
        tickets = {name for kind, name in state if kind == "ticket"}
        problems += [
            f"{number}: issued {at}, missing" for number, at in issued_numbers.items() if number not in tickets
        ]

    for problem in problems:
        print(problem)
    print("checkpoint", statement["sequence"], "holds" if not problems else "does NOT hold")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
