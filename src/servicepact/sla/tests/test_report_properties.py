"""Reports on random event logs agree with a plain recount from the replayed clock states.

The recount filters events by hand, replays every ticket (no skipping of settled tickets) and counts
per SLA-SPEC section 5, so it checks the report's END filtering, period membership, exclusions, the
open counts and its shortcut for tickets settled before the period.
"""

import json
import random
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from servicepact.sla.clocks import evaluate_ticket, replay
from servicepact.sla.contract import load_contract
from servicepact.sla.events import parse_event_log
from servicepact.sla.measures import json_number
from servicepact.sla.periods import parse_period
from servicepact.sla.report import evaluate_period, report_object
from servicepact.sla.timefmt import format_instant

CONTRACT_PATH = Path(__file__).parent.parent.parent / "contracts" / "examples" / "globex-ito.yaml"
CONTRACT = load_contract(CONTRACT_PATH.read_bytes(), str(CONTRACT_PATH))
MARCH = parse_period("2026-03", CONTRACT.reporting_timezone)
OPEN_STATUSES = ["assigned", "in_progress", "pending_customer", "pending_vendor"]


def random_log(seed: int, tickets: int = 30) -> list[str]:
    rng = random.Random(seed)
    lines = []
    # instants cluster around the period's edges so that events at END and just before it are common
    anchors = [MARCH.start - 3 * 86400, MARCH.start, MARCH.end - 86400, MARCH.end - 3600, MARCH.end]
    for number in range(tickets):
        ticket = f"R-{number}"
        at = rng.choice(anchors) + rng.choice([0, 0, rng.randrange(-7200, 7200)])
        record = {
            "ticket": ticket,
            "at": at,
            "type": "created",
            "priority": rng.choice(CONTRACT.priorities),
            "service": rng.choice(sorted(CONTRACT.services)),
        }
        if rng.random() < 0.3:
            record["category"] = rng.choice(["hardware-onsite", "software"])
        events = [record]
        status = "new"
        for _ in range(rng.randrange(0, 7)):
            at += rng.choice([0, 60, 600, 3600, 4 * 3600, 86400])
            kind = rng.choice(["responded", "status", "status", "assigned", "priority"])
            if kind == "status":
                status = rng.choice(["resolved", "resolved", "closed", *OPEN_STATUSES])
                events.append({"ticket": ticket, "at": at, "type": "status", "status": status})
                if status == "closed":
                    break
            elif kind == "assigned":
                events.append(
                    {"ticket": ticket, "at": at, "type": "assigned", "team": rng.choice(["app-support", "hw-vendor"])}
                )
            elif kind == "priority":
                events.append(
                    {"ticket": ticket, "at": at, "type": "priority", "priority": rng.choice(CONTRACT.priorities)}
                )
            else:
                events.append({"ticket": ticket, "at": at, "type": "responded"})
        lines += events
    lines.sort(key=lambda record: record["at"])  # tickets interleave; a stable sort keeps same-instant order
    return [json.dumps({**record, "at": format_instant(record["at"])}) for record in lines]


def recount(events_by_ticket, period):
    """Figures of each contract measure and the open counts, straight from the spec's definitions."""
    before = {
        ticket: [event for event in events if event.at < period.end] for ticket, events in events_by_ticket.items()
    }
    before = {ticket: events for ticket, events in before.items() if events}
    states = {(state.ticket, state.clock): state for state in replay(CONTRACT, before, period.end)}
    facts = {ticket: evaluate_ticket(CONTRACT, events, period.end)[0] for ticket, events in before.items()}

    def stopped(ticket, clock):
        state = states.get((ticket, clock))
        return state is not None and state.stopped_at is not None and period.start <= state.stopped_at < period.end

    figures = {}
    for definition in CONTRACT.measures:
        excluded = set(definition.exclude.get("category", []))
        counted = [t for t in sorted(before) if facts[t].category not in excluded]
        if definition.measure in ("response_met_ratio", "resolution_met_ratio"):
            clock = definition.measure.removesuffix("_met_ratio")
            population = [t for t in counted if stopped(t, clock)]
            hits = [t for t in population if states[(t, clock)].state == "met"]
        else:
            population = [t for t in counted if stopped(t, "resolution")]
            hits = [t for t in population if not facts[t].assigned and facts[t].reopen_count == 0]
        value = Fraction(len(hits), len(population)) if population else None
        figures[definition.id] = (json_number(value), len(hits), len(population))
    open_tickets = [t for t in before if states[(t, "resolution")].stopped_at is None]
    open_breached = [t for t in open_tickets if states[(t, "resolution")].state == "breached"]
    return figures, len(open_tickets), len(open_breached)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_report_equals_a_plain_recount(seed):
    events = parse_event_log(random_log(seed), CONTRACT, "EVENTS")
    report = report_object(CONTRACT, evaluate_period(CONTRACT, events, MARCH))
    figures, open_count, open_breached = recount(events, MARCH)
    assert {m["id"]: (m["value"], m["numerator"], m["denominator"]) for m in report["measures"]} == figures
    assert (report["open"], report["open_breached"]) == (open_count, open_breached)
    for measure in report["measures"]:
        assert measure["met"] is None if measure["value"] is None else isinstance(measure["met"], bool)
