"""Every break in the records' histories: an entry changed, removed, inserted or reordered, or a tail
removed (the head row remembers the length and the last hash)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from servicepact.history.models import HistoryEntry, HistoryHead


@dataclass(frozen=True)
class HistoryBreak:
    chain: str
    seq: int
    problem: str
    expected: str
    stored: str

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq}: {self.problem}: expected {self.expected}, stored {self.stored}"


def verify_chain(chain: str, entries: Iterable[HistoryEntry], *, length: int, last_hash: str) -> Iterator[HistoryBreak]:
    """Every break in one chain's entries (given in ``seq`` order) and in its head."""
    expected_seq, previous = 1, ""
    for entry in entries:
        if entry.seq != expected_seq:
            yield HistoryBreak(chain, entry.seq, "sequence gap", str(expected_seq), str(entry.seq))
        if entry.prev_hash != previous:
            yield HistoryBreak(chain, entry.seq, "previous hash", previous or "(none)", entry.prev_hash or "(none)")
        computed = entry.compute_hash()
        if computed != entry.hash:
            yield HistoryBreak(chain, entry.seq, "hash", computed, entry.hash)
        previous, expected_seq = entry.hash, entry.seq + 1
    if expected_seq - 1 != length:
        yield HistoryBreak(chain, expected_seq - 1, "length on the head", str(expected_seq - 1), str(length))
    if previous != last_hash:
        yield HistoryBreak(
            chain, expected_seq - 1, "last hash on the head", previous or "(none)", last_hash or "(none)"
        )


def verify_all(chunk_size: int = 2000) -> Iterator[HistoryBreak]:
    """Every break in every record's history, the chains read as one stream."""
    heads = {
        (head.subject_type_id, head.subject_id): head
        for head in HistoryHead.objects.order_by().iterator(chunk_size=chunk_size)
    }
    current, own = None, []
    for entry in HistoryEntry.objects.order_by("subject_type_id", "subject_id", "seq").iterator(chunk_size=chunk_size):
        key = (entry.subject_type_id, entry.subject_id)
        if key != current and current is not None:
            yield from _verify_key(current, own, heads)
            own = []
        current = key
        own.append(entry)
    if current is not None:
        yield from _verify_key(current, own, heads)
    for head in heads.values():  # heads whose every entry is gone
        if head.length:
            yield HistoryBreak(f"{head.subject_type_id}:{head.subject_id}", 0, "entries", str(head.length), "0")


def _verify_key(key, entries: list[HistoryEntry], heads: dict) -> Iterator[HistoryBreak]:
    head = heads.pop(key, None)
    chain = entries[0].chain_name()
    if head is None:
        yield HistoryBreak(chain, 0, "head", "a head row", "none")
        return
    yield from verify_chain(chain, entries, length=head.length, last_hash=head.last_hash)
