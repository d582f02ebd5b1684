"""Vectorised lookups in a calendar's open-interval table, for many instants at once.

np.searchsorted over the table costs a branchy binary search per query. Most queries can skip it:
time is cut into fixed buckets of BUCKET_S seconds, and a bucket that is wholly open or wholly closed
(no interval boundary inside it) answers `open_before` with one division, gathers and a multiply.
Only queries in the few buckets holding a boundary fall back to searchsorted. Contract hours sit on
whole or half hours, and so do the UTC offsets of nearly every zone, so with half-hour buckets
almost every bucket is clean. The same is done in "open seconds" space for `instant_at` (add).

Arrays are processed in chunks of CHUNK values: the temporaries then stay in the processor's cache and
are reused by the allocator, instead of being fresh pages of memory for every step (which made the
whole computation several times slower).
"""

from __future__ import annotations

import numpy as np

BUCKET_S = 1800
CHUNK = 16_384


class VectorIndex:
    def __init__(self, lo: int, hi: int, starts: list[int], ends: list[int], cum_end: list[int]) -> None:
        self.lo = lo
        self.starts = np.asarray(starts, dtype=np.int64)
        self.ends = np.asarray(ends, dtype=np.int64)
        self.cum_end = np.asarray(cum_end, dtype=np.int64)

        # time buckets: open seconds at each bucket's start, and whether the bucket is all open/closed
        edges = lo + BUCKET_S * np.arange((hi - lo) // BUCKET_S + 2, dtype=np.int64)
        open_at_edges = self._open_before_searched(edges)
        per_bucket = np.diff(open_at_edges)
        self.bucket_base = open_at_edges[:-1]
        self.bucket_slope = per_bucket // BUCKET_S  # 1 if wholly open, 0 if wholly closed
        self.bucket_clean = (per_bucket == 0) | (per_bucket == BUCKET_S)

        # open-seconds buckets: the interval in which each budget position ends, if only one can
        goal_edges = BUCKET_S * np.arange(int(self.cum_end[-1]) // BUCKET_S + 2, dtype=np.int64)
        # clipped: the last bucket may reach past the total, where no goal is ever asked for
        top = len(self.cum_end) - 1
        first = np.minimum(np.searchsorted(self.cum_end, goal_edges[:-1] + 1, side="left"), top)
        last = np.minimum(np.searchsorted(self.cum_end, goal_edges[1:], side="left"), top)
        self.goal_interval = first
        self.goal_clean = first == last

    def open_before(self, instants: np.ndarray) -> np.ndarray:
        """Open seconds from lo to each instant of a 1-D array; every instant must lie in [lo, hi]."""
        result = np.empty_like(instants)
        for at in range(0, len(instants), CHUNK):
            result[at : at + CHUNK] = self._open_before_chunk(instants[at : at + CHUNK])
        return result

    def elapsed(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Open seconds in each [start, end) of two 1-D arrays, 0 where end <= start."""
        result = np.empty_like(starts)
        for at in range(0, len(starts), CHUNK):
            chunk = self._open_before_chunk(ends[at : at + CHUNK])
            chunk -= self._open_before_chunk(starts[at : at + CHUNK])
            # open_before never decreases, so a reversed span gives a negative or zero difference
            np.maximum(chunk, 0, out=chunk)
            result[at : at + CHUNK] = chunk
        return result

    def instant_at(self, goals: np.ndarray) -> np.ndarray:
        """The first instant at which open_before reaches each goal (1 .. total open seconds), 1-D."""
        result = np.empty_like(goals)
        for at in range(0, len(goals), CHUNK):
            result[at : at + CHUNK] = self._instant_at_chunk(goals[at : at + CHUNK])
        return result

    def _open_before_chunk(self, instants: np.ndarray) -> np.ndarray:
        offset = instants - self.lo
        bucket = offset // BUCKET_S
        offset -= bucket * BUCKET_S
        offset *= self.bucket_slope[bucket]
        offset += self.bucket_base[bucket]
        dirty = ~self.bucket_clean[bucket]
        if dirty.any():
            offset[dirty] = self._open_before_searched(instants[dirty])
        return offset

    def _instant_at_chunk(self, goals: np.ndarray) -> np.ndarray:
        bucket = (goals - 1) // BUCKET_S
        interval = self.goal_interval[bucket]
        dirty = ~self.goal_clean[bucket]
        if dirty.any():
            interval[dirty] = np.searchsorted(self.cum_end, goals[dirty], side="left")
        result = self.ends[interval]
        result -= self.cum_end[interval]
        result += goals
        return result

    def _open_before_searched(self, instants: np.ndarray) -> np.ndarray:
        i = np.searchsorted(self.starts, instants, side="right") - 1
        return self.cum_end[i] - np.maximum(self.ends[i] - instants, 0)
