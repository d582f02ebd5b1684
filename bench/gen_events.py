"""Writes a realistic random event log for N tickets on the reference contract (globex-ito).

    python bench/gen_events.py N [--seed S] [--start 2026-01-05] [--days 360] > events.jsonl

About six events a ticket: created, responded, assigned, in_progress, now and then a wait for the
customer or a vendor, a priority change or a reopen, resolved, and mostly closed. Tickets arrive
through the working day of Europe and Asia; events are written in time order across tickets, as an
export of a live system would be, mostly in UTC and some with a +01:00/+08:00 offset.
"""

import argparse
import datetime
import random
import sys

import orjson

SERVICES = ("sap-erp", "sso", "mes-asia", "hr-portal")
PRIORITIES = ("P1", "P2", "P3", "P4")
PRIORITY_WEIGHTS = (5, 20, 50, 25)
TEAMS = ("app-support-cn", "app-support-in", "security", "operations", "erp", "hw-vendor")
CATEGORIES = ("software", "access", "hardware-onsite", "data", "question")
OFFSETS = ((0, "Z"), (3600, "+01:00"), (8 * 3600, "+08:00"))


def instant_text(at: int, rng: random.Random) -> str:
    offset, suffix = OFFSETS[0] if rng.random() < 0.9 else rng.choice(OFFSETS[1:])
    local = datetime.datetime.fromtimestamp(at + offset, datetime.UTC)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + suffix


def ticket_events(number: int, created_at: int, rng: random.Random) -> list[tuple[int, int, dict]]:
    ticket = f"GLX-{number:07d}"
    priority = rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0]
    scale = {"P1": 600, "P2": 3600, "P3": 4 * 3600, "P4": 12 * 3600}[priority]
    created = {"type": "created", "priority": priority, "service": rng.choice(SERVICES), "team": "service-desk"}
    if rng.random() < 0.8:
        created["category"] = rng.choice(CATEGORIES)
    events = [(created_at, created)]
    at = created_at

    def later(mean: int) -> int:
        nonlocal at
        at += 1 + int(rng.expovariate(1 / mean))
        return at

    if rng.random() < 0.2:  # solved at first contact
        events.append((later(scale // 4), {"type": "responded"}))
        events.append((later(scale // 2), {"type": "status", "status": "resolved"}))
    else:
        events.append((later(scale // 3), {"type": "responded"}))
        events.append((later(scale // 4), {"type": "assigned", "team": rng.choice(TEAMS)}))
        events.append((later(scale // 4), {"type": "status", "status": "in_progress"}))
        if rng.random() < 0.15:
            events.append(
                (later(scale), {"type": "status", "status": rng.choice(("pending_customer", "pending_vendor"))})
            )
            events.append((later(scale * 3), {"type": "status", "status": "in_progress"}))
        if rng.random() < 0.08:
            events.append((later(scale), {"type": "priority", "priority": rng.choice(PRIORITIES)}))
        events.append((later(scale * 2), {"type": "status", "status": "resolved"}))
        if rng.random() < 0.05:
            events.append((later(scale * 4), {"type": "status", "status": "in_progress"}))
            events.append((later(scale * 2), {"type": "status", "status": "resolved"}))
    if rng.random() < 0.85:
        events.append((later(3 * 86400), {"type": "status", "status": "closed"}))
    return [(when, number, {"ticket": ticket, "at": "", **fields}) for when, fields in events]


def generate(count: int, seed: int, start: datetime.date, days: int) -> list[bytes]:
    rng = random.Random(seed)
    first = int(datetime.datetime(start.year, start.month, start.day, tzinfo=datetime.UTC).timestamp())
    all_events = []
    for number in range(1, count + 1):
        day = rng.randrange(days)
        second = rng.choice((1 * 3600, 7 * 3600)) + int(rng.random() * 10 * 3600)  # Asia or Europe working day
        all_events.extend(ticket_events(number, first + day * 86400 + second, rng))
    all_events.sort(key=lambda item: (item[0], item[1]))
    lines = []
    for when, _number, record in all_events:
        record["at"] = instant_text(when, rng)
        lines.append(orjson.dumps(record))
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of tickets")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=datetime.date.fromisoformat, default=datetime.date(2026, 1, 5))
    parser.add_argument("--days", type=int, default=360)
    args = parser.parse_args(argv)
    out = sys.stdout.buffer
    out.write(b"\n".join(generate(args.count, args.seed, args.start, args.days)) + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
