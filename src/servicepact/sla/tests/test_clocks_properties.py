"""Clock properties on random tickets, checked against a minute-by-minute reading of SLA-SPEC section 4."""

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from servicepact.sla.clocks import evaluate_ticket
from servicepact.sla.events import STOPPED_STATUSES, parse_event_log
from servicepact.sla.tests.cases.contracts import reference_contract
from servicepact.sla.timefmt import format_instant, parse_instant

CONTRACT = reference_contract()
START = parse_instant("2026-03-27T14:00:00Z")  # a Friday afternoon before the spring-forward weekend
STATUSES = ("assigned", "in_progress", "pending_customer", "pending_vendor", "resolved", "closed")

event_rows = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=4 * 24 * 60),  # minute after creation
        st.sampled_from(("status", "status", "priority", "responded", "assigned")),
        st.sampled_from(STATUSES),
        st.sampled_from(("P1", "P2", "P3", "P4")),
    ),
    max_size=6,
)


def build(priority: str, service: str, rows) -> list:
    lines = [
        orjson.dumps(
            {"ticket": "R", "at": format_instant(START), "type": "created", "priority": priority, "service": service}
        )
    ]
    closed = False
    for minute, kind, status, new_priority in sorted(rows, key=lambda row: row[0]):
        if closed:
            break
        record = {"ticket": "R", "at": format_instant(START + minute * 60), "type": kind}
        if kind == "status":
            record["status"] = status
            closed = status == "closed"
        elif kind == "priority":
            record["priority"] = new_priority
        elif kind == "assigned":
            record["team"] = "erp"
        lines.append(orjson.dumps(record))
    return parse_event_log(lines, CONTRACT, "random")["R"]


def minute_oracle(events, at: int, clock: str) -> tuple[int, str]:
    """(elapsed seconds, priority at the clock's end) by walking minute by minute (events lie on minutes)."""
    status, priority, response_stopped = "new", events[0].data["priority"], False
    running_minutes, end_priority = [], None
    index = 0
    for minute_start in [*range(START, at, 60), at]:
        while index < len(events) and events[index].at <= minute_start:
            event = events[index]
            if event.type == "status":
                status = event.data["status"]
                response_stopped = response_stopped or status in STOPPED_STATUSES
            elif event.type == "priority":
                priority = event.data["priority"]
            elif event.type == "responded":
                response_stopped = True
            if clock == "response" and response_stopped and end_priority is None:
                end_priority = priority
            index += 1
        if minute_start == at:
            break
        if clock == "response":
            running = not response_stopped
        else:
            running = status not in STOPPED_STATUSES and status != "pending_customer"
        if running:
            running_minutes.append(minute_start)
    if clock == "resolution" or end_priority is None:
        end_priority = priority
        if clock == "resolution" and status in STOPPED_STATUSES:
            end_priority = _priority_at_last_stop(events, at)
    _name, calendar = CONTRACT.clock_calendar(clock, end_priority, events[0].data["service"])
    return sum(calendar.elapsed(m, m + 60) for m in running_minutes), end_priority


def _priority_at_last_stop(events, at: int) -> str:
    status, priority, stop_priority = "new", events[0].data["priority"], None
    for event in events:
        if event.at > at:
            break
        if event.type == "priority":
            priority = event.data["priority"]
        elif event.type == "status":
            if event.data["status"] in STOPPED_STATUSES and status not in STOPPED_STATUSES:
                stop_priority = priority
            status = event.data["status"]
    return stop_priority


@settings(max_examples=60, deadline=None)
@given(
    priority=st.sampled_from(("P1", "P2", "P3", "P4")),
    service=st.sampled_from(("sap-erp", "mes-asia")),
    rows=event_rows,
    at_minute=st.integers(min_value=0, max_value=5 * 24 * 60),
)
def test_clocks_agree_with_minute_walk_and_are_consistent(priority, service, rows, at_minute):
    events = build(priority, service, rows)
    at = START + at_minute * 60
    _facts, states = evaluate_ticket(CONTRACT, events, at)
    for state in states:
        elapsed, end_priority = minute_oracle(events, at, state.clock)
        assert (state.elapsed_s, state.priority) == (elapsed, end_priority), state.clock
        assert (state.state == "breached") == (state.elapsed_s > state.target_s)
        if state.state == "breached":
            assert state.due_at == state.breached_at
            # at the breach instant the clock had used exactly its target and was not yet breached
            # (unless a later priority change moved the target retroactively)
            _f, then = evaluate_ticket(CONTRACT, events, state.breached_at)
            same = next(s for s in then if s.clock == state.clock)
            if same.priority == state.priority:
                assert same.elapsed_s == state.target_s and same.state != "breached"
        elif state.state in ("running", "paused"):
            assert state.due_at is not None and state.stopped_at is None
        else:
            assert state.state == "met" and state.due_at is None and state.stopped_at is not None
