"""Benchmark of business-time arithmetic: deadlines (add) and elapsed time on the eu-business calendar
shape of the reference contract (Monday to Friday 08:00-18:00 Europe/Berlin, German public holidays).

Every engine computes the same random cases (fixed seed): the servicepact kernel one call at a time and
vectorised, workclock one call at a time and in batches, businesstimedelta, and pandas'
CustomBusinessHour (deadlines only: pandas has no elapsed business time). Each engine's inputs are
prepared in its own form (ints, datetimes, Timestamps, datetime64) before the clock starts. The pure-
Python peers are slow enough that they run on the first cases only, by default; --full runs all.

    .venv/bin/python bench/bench_calendar.py [--cases 100000] [--runs 5] [--full]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import businesstimedelta
import holidays
import numpy as np
import pandas as pd
import pytz
import workclock

from servicepact.sla.calendar import BusinessCalendar

SEED = 20260301
HOUR = 3600
BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
OPENS, CLOSES = dt.time(8), dt.time(18)


@dataclass(frozen=True)
class Cases:
    starts: np.ndarray  # int64 epoch seconds, uniform over 2026 (Berlin)
    ends: np.ndarray  # starts plus up to 14 days
    budgets: np.ndarray  # whole hours 1..80 in seconds (pandas adds only whole business hours)

    def head(self, count: int) -> Cases:
        return Cases(self.starts[:count], self.ends[:count], self.budgets[:count])


@dataclass
class Measured:
    operation: str
    engine: str
    cases: int
    ops_per_s: float
    results: np.ndarray  # epoch seconds (add) or seconds (elapsed), for the agreement check


BATCH_ENGINES = {"servicepact vectorised", "workclock batch"}


def make_cases(count: int) -> Cases:
    rng = np.random.default_rng(SEED)
    year_start = int(dt.datetime(2026, 1, 1, tzinfo=BERLIN).timestamp())
    year_end = int(dt.datetime(2027, 1, 1, tzinfo=BERLIN).timestamp())
    starts = rng.integers(year_start, year_end, count, dtype=np.int64)
    ends = starts + rng.integers(0, 14 * 86_400, count, dtype=np.int64)
    budgets = rng.integers(1, 81, count, dtype=np.int64) * HOUR
    return Cases(starts, ends, budgets)


def german_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("DE", years=range(2025, 2029))


# CPU time of this process by default: on a shared machine wall-clock time mostly measures the neighbours
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def timed(work: Callable[[], Any], runs: int, count: int, clock: Callable[[], float]) -> tuple[float, Any]:
    result = work()  # warm-up: caches, lazily built tables
    seconds = []
    for _ in range(runs):
        began = clock()
        work()
        seconds.append(clock() - began)
    return count / statistics.median(seconds), result


# --- engines: each returns (add work, elapsed work or None, converter of raw results to seconds) ----


def servicepact_scalar(cases: Cases):
    calendar = eu_business()
    starts, ends, budgets = cases.starts.tolist(), cases.ends.tolist(), cases.budgets.tolist()
    add, elapsed = calendar.add, calendar.elapsed
    return (
        lambda: [add(a, s) for a, s in zip(starts, budgets)],
        lambda: [elapsed(a, b) for a, b in zip(starts, ends)],
        np.asarray,
    )


def servicepact_vectorised(cases: Cases):
    calendar = eu_business()
    return (
        lambda: calendar.add_many(cases.starts, cases.budgets),
        lambda: calendar.elapsed_many(cases.starts, cases.ends),
        np.asarray,
    )


def workclock_scalar(cases: Cases):
    schedule = workclock_schedule()
    starts = [dt.datetime.fromtimestamp(a, UTC) for a in cases.starts.tolist()]
    ends = [dt.datetime.fromtimestamp(b, UTC) for b in cases.ends.tolist()]
    budgets = [dt.timedelta(seconds=s) for s in cases.budgets.tolist()]
    add, between = schedule.add, schedule.between
    return (
        lambda: [add(a, s) for a, s in zip(starts, budgets)],
        lambda: [between(a, b) for a, b in zip(starts, ends)],
        to_seconds,
    )


def workclock_batch(cases: Cases):
    schedule = workclock_schedule()
    starts = cases.starts.astype("datetime64[s]").astype("datetime64[us]")
    ends = cases.ends.astype("datetime64[s]").astype("datetime64[us]")
    budgets = cases.budgets.astype("timedelta64[s]").astype("timedelta64[us]")
    return (
        lambda: schedule.add_many(starts, budgets),
        lambda: schedule.between_many(starts, ends),
        lambda raw: raw.astype("int64") // 1_000_000,
    )


def businesstimedelta_scalar(cases: Cases):
    zone = pytz.timezone("Europe/Berlin")
    rules = businesstimedelta.Rules(
        [
            businesstimedelta.WorkDayRule(OPENS, CLOSES, [0, 1, 2, 3, 4], tz=zone),
            businesstimedelta.HolidayRule(german_holidays(), tz=zone),
        ]
    )
    starts = [dt.datetime.fromtimestamp(a, UTC) for a in cases.starts.tolist()]
    ends = [dt.datetime.fromtimestamp(b, UTC) for b in cases.ends.tolist()]
    budgets = [businesstimedelta.BusinessTimeDelta(rules, seconds=s) for s in cases.budgets.tolist()]
    return (
        lambda: [a + s for a, s in zip(starts, budgets)],
        lambda: [rules.difference(a, b).timedelta for a, b in zip(starts, ends)],
        to_seconds,
    )


def pandas_business_hour(cases: Cases):
    holiday_dates = sorted(german_holidays())
    offsets = {
        hours: pd.offsets.CustomBusinessHour(n=hours, start="08:00", end="18:00", holidays=holiday_dates)
        for hours in range(1, 81)
    }
    starts = [pd.Timestamp(a, unit="s", tz="Europe/Berlin") for a in cases.starts.tolist()]
    budgets = [offsets[s // HOUR] for s in cases.budgets.tolist()]
    return (lambda: [a + s for a, s in zip(starts, budgets)], None, to_seconds)


def eu_business() -> BusinessCalendar:
    weekdays = {day: [(8 * HOUR, 18 * HOUR)] for day in range(5)}
    return BusinessCalendar("eu-business", "Europe/Berlin", weekdays, "DE")


def workclock_schedule() -> workclock.Schedule:
    return workclock.Schedule(
        [workclock.WorkDay(OPENS, CLOSES), workclock.Holidays(list(german_holidays()))],
        time_zone="Europe/Berlin",
    )


def to_seconds(raw: list) -> np.ndarray:
    if raw and isinstance(raw[0], dt.timedelta):
        return np.array([int(r.total_seconds()) for r in raw], dtype=np.int64)
    return np.array([int(r.timestamp()) for r in raw], dtype=np.int64)


# --- agreement --------------------------------------------------------------------------------


def explain_differences(measured: Measured, ours: np.ndarray, cases: Cases) -> str:
    differ = np.flatnonzero(measured.results != ours[: measured.cases])
    if differ.size == 0:
        return "all agree"
    words = f"{differ.size} of {measured.cases} differ"
    if measured.operation == "add":
        at_closing = [i for i in differ if local(ours[i]).time() == CLOSES]
        if len(at_closing) == differ.size:
            return words + " (each where the budget runs out exactly at 18:00: it answers the next opening)"
    i = differ[0]
    return words + (
        f"; first: start {local(cases.starts[i])}, budget {cases.budgets[i] // HOUR}h, end {local(cases.ends[i])}:"
        f" ours {ours[i]}, theirs {measured.results[i]}"
    )


def local(instant: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(instant), BERLIN)


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workclock-cases", type=int, default=20_000, help="cases for workclock one call at a time")
    parser.add_argument("--pandas-cases", type=int, default=2_000, help="cases for pandas")
    parser.add_argument("--businesstimedelta-cases", type=int, default=500, help="cases for businesstimedelta")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu", help="what a run's time is")
    parser.add_argument("--full", action="store_true", help="every engine runs every case (takes many minutes)")
    args = parser.parse_args()
    cases = make_cases(args.cases)
    counts = {
        "servicepact scalar": args.cases,
        "servicepact vectorised": args.cases,
        "workclock scalar": args.cases if args.full else min(args.cases, args.workclock_cases),
        "workclock batch": args.cases,
        "businesstimedelta": args.cases if args.full else min(args.cases, args.businesstimedelta_cases),
        "pandas CustomBusinessHour": args.cases if args.full else min(args.cases, args.pandas_cases),
    }
    engines = {
        "servicepact scalar": servicepact_scalar,
        "servicepact vectorised": servicepact_vectorised,
        "workclock scalar": workclock_scalar,
        "workclock batch": workclock_batch,
        "businesstimedelta": businesstimedelta_scalar,
        "pandas CustomBusinessHour": pandas_business_hour,
    }
    measured: list[Measured] = []
    for name, prepare in engines.items():
        count = counts[name]
        add_work, elapsed_work, convert = prepare(cases.head(count))
        for operation, work in (("add", add_work), ("elapsed", elapsed_work)):
            if work is None:
                continue
            ops, raw = timed(work, args.runs, count, CLOCKS[args.clock])
            measured.append(Measured(operation, name, count, ops, convert(raw)))
            print(f"  measured {operation:7} {name:26} {ops:>14,.0f} ops/s", flush=True)
    print_table(measured, cases, f"median of {args.runs} runs, {args.clock} time")
    return 0


def print_table(measured: list[Measured], cases: Cases, timing: str) -> None:
    print()
    print(f"eu-business shape: Mon-Fri 08:00-18:00 Europe/Berlin, DE holidays; seed {SEED}; {timing}")
    header = f"{'operation':9} {'engine':26} {'cases':>7} {'ops/s':>12} {'vs our scalar':>13}  agreement with ours"
    print(header)
    print("-" * len(header))
    for operation in ("add", "elapsed"):
        rows = [m for m in measured if m.operation == operation]
        ours = next(m for m in rows if m.engine == "servicepact scalar")
        for m in rows:
            agreement = "(reference)" if m is ours else explain_differences(m, ours.results, cases)
            print(
                f"{operation:9} {m.engine:26} {m.cases:>7} {m.ops_per_s:>12,.0f} "
                f"{m.ops_per_s / ours.ops_per_s:>12.3f}x  {agreement}"
            )
        vectorised = next(m for m in rows if m.engine == "servicepact vectorised")
        peers = [m for m in rows if not m.engine.startswith("servicepact")]
        one_at_a_time = max((m for m in peers if m.engine not in BATCH_ENGINES), key=lambda m: m.ops_per_s)
        fastest = max(peers, key=lambda m: m.ops_per_s)
        print(
            f"{'':9} ours one call at a time is {ours.ops_per_s / one_at_a_time.ops_per_s:.1f}x "
            f"{one_at_a_time.engine} and {ours.ops_per_s / fastest.ops_per_s:.1f}x {fastest.engine}; "
            f"ours vectorised is {vectorised.ops_per_s / fastest.ops_per_s:.1f}x {fastest.engine}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
