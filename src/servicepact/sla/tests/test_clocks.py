"""Clocks of the reference contract (globex-ito), with expected values worked out by hand.

Berlin is UTC+1 until 2026-03-29 and UTC+2 after it (until 2026-10-25); Shanghai is UTC+8 all year.
eu-business: Mon-Fri 08:00-18:00 Berlin, German holidays. cn-business: Mon-Fri 09:00-12:00 and
13:00-18:00 Shanghai, Chinese holidays and make-up working days.
P1: response 15m, resolution 4h, both on `always` (24x7). P2: 30m / 8h, P3: 4h / 24h on the service's
calendar. The resolution clock pauses in pending_customer.
"""

from fractions import Fraction

import orjson
import pytest

from servicepact.sla.clocks import evaluate_ticket, explain_clock, replay
from servicepact.sla.events import parse_event_log
from servicepact.sla.tests.cases.contracts import reference_contract, variant_contract
from servicepact.sla.timefmt import format_instant, parse_instant

T = parse_instant


def log(contract, *rows: tuple) -> list:
    """Events of ticket T-1 from rows (at, type, fields...) with the first row the `created` one."""
    lines = []
    for at, type_, *rest in rows:
        record = {"ticket": "T-1", "at": at, "type": type_}
        for fields in rest:
            record.update(fields)
        lines.append(orjson.dumps(record))
    return parse_event_log(lines, contract, "test")["T-1"]


def clocks_at(contract, events, at: str) -> dict[str, dict]:
    _facts, states = evaluate_ticket(contract, events, T(at))
    return {state.clock: state.spec_dict() for state in states}


def created(at: str, priority: str, service: str = "sap-erp", **extra) -> tuple:
    return (at, "created", {"priority": priority, "service": service, **extra})


def status(at: str, value: str) -> tuple:
    return (at, "status", {"status": value})


@pytest.fixture(scope="module")
def contract():
    return reference_contract()


def spec(priority, calendar, target_s, elapsed_s, state, breached_at=None, due_at=None, stopped_at=None, *, clock):
    return {
        "ticket": "T-1",
        "clock": clock,
        "priority": priority,
        "calendar": calendar,
        "target_s": target_s,
        "elapsed_s": elapsed_s,
        "state": state,
        "breached_at": breached_at,
        "due_at": due_at,
        "stopped_at": stopped_at,
    }


class TestP1OnAlways:
    def test_met_both(self, contract):
        events = log(
            contract,
            created("2026-03-02T09:00:00Z", "P1"),
            ("2026-03-02T09:10:00Z", "responded"),
            status("2026-03-02T12:00:00Z", "resolved"),
        )
        got = clocks_at(contract, events, "2026-03-03T00:00:00Z")
        assert list(got) == ["response", "resolution"]
        assert got["response"] == spec(
            "P1", "always", 900, 600, "met", stopped_at="2026-03-02T09:10:00Z", clock="response"
        )
        assert got["resolution"] == spec(
            "P1", "always", 14400, 10800, "met", stopped_at="2026-03-02T12:00:00Z", clock="resolution"
        )

    def test_output_keys_in_spec_order(self, contract):
        events = log(contract, created("2026-03-02T09:00:00Z", "P1"))
        assert list(clocks_at(contract, events, "2026-03-02T09:00:00Z")["response"]) == [
            "ticket",
            "clock",
            "priority",
            "calendar",
            "target_s",
            "elapsed_s",
            "state",
            "breached_at",
            "due_at",
            "stopped_at",
        ]

    @pytest.mark.parametrize(
        "responded, state, elapsed, breached_at",
        [
            ("2026-03-02T09:14:59Z", "met", 899, None),
            ("2026-03-02T09:15:00Z", "met", 900, None),  # exactly the target is on time
            ("2026-03-02T09:15:01Z", "breached", 901, "2026-03-02T09:15:00Z"),
        ],
    )
    def test_response_edges(self, contract, responded, state, elapsed, breached_at):
        events = log(contract, created("2026-03-02T09:00:00Z", "P1"), (responded, "responded"))
        got = clocks_at(contract, events, "2026-03-02T10:00:00Z")["response"]
        assert (got["state"], got["elapsed_s"], got["breached_at"], got["stopped_at"]) == (
            state,
            elapsed,
            breached_at,
            responded,
        )
        assert got["due_at"] == breached_at

    def test_running_at_exactly_the_target_is_not_breached(self, contract):
        events = log(contract, created("2026-03-02T09:00:00Z", "P1"))
        at_target = clocks_at(contract, events, "2026-03-02T09:15:00Z")["response"]
        assert (at_target["state"], at_target["elapsed_s"], at_target["due_at"]) == (
            "running",
            900,
            "2026-03-02T09:15:00Z",
        )
        one_later = clocks_at(contract, events, "2026-03-02T09:15:01Z")["response"]
        assert (one_later["state"], one_later["breached_at"], one_later["due_at"]) == (
            "breached",
            "2026-03-02T09:15:00Z",
            "2026-03-02T09:15:00Z",
        )

    def test_running_due_at(self, contract):
        events = log(contract, created("2026-03-02T09:00:00Z", "P1"))
        got = clocks_at(contract, events, "2026-03-02T09:05:00Z")
        assert got["response"] == spec(
            "P1", "always", 900, 300, "running", due_at="2026-03-02T09:15:00Z", clock="response"
        )
        assert got["resolution"]["due_at"] == "2026-03-02T13:00:00Z"

    def test_always_across_the_spring_forward_night_counts_plain_seconds(self, contract):
        # 01:30 Berlin (UTC+1) to 04:30 Berlin (UTC+2) is two hours of real time
        rows = [created("2026-03-29T00:30:00Z", "P1"), status("2026-03-29T02:30:00Z", "resolved")]
        got = clocks_at(contract, log(contract, *rows), "2026-03-29T12:00:00Z")["resolution"]
        assert (got["elapsed_s"], got["state"]) == (7200, "met")


class TestEuBusiness:
    def test_p2_created_friday_evening(self, contract):
        # Fri 2026-03-06 19:00 Berlin: nothing counts until Mon 08:00 Berlin (07:00Z).
        events = log(contract, created("2026-03-06T18:00:00Z", "P2"), ("2026-03-09T07:45:00Z", "responded"))
        monday = clocks_at(contract, events, "2026-03-09T07:10:00Z")
        assert monday["response"] == spec(
            "P2", "eu-business", 1800, 600, "running", due_at="2026-03-09T07:30:00Z", clock="response"
        )
        assert monday["resolution"] == spec(
            "P2", "eu-business", 28800, 600, "running", due_at="2026-03-09T15:00:00Z", clock="resolution"
        )
        weekend = clocks_at(contract, events, "2026-03-08T12:00:00Z")
        assert weekend["response"]["elapsed_s"] == 0 and weekend["response"]["due_at"] == "2026-03-09T07:30:00Z"
        later = clocks_at(contract, events, "2026-03-09T12:00:00Z")
        assert later["response"] == spec(
            "P2",
            "eu-business",
            1800,
            2700,
            "breached",
            "2026-03-09T07:30:00Z",
            "2026-03-09T07:30:00Z",
            "2026-03-09T07:45:00Z",
            clock="response",
        )

    def test_p3_created_friday_afternoon(self, contract):
        # Fri 17:00 Berlin: one hour on Friday, then Monday 08:00 on.
        events = log(contract, created("2026-03-06T16:00:00Z", "P3"))
        got = clocks_at(contract, events, "2026-03-06T20:00:00Z")
        assert got["response"]["due_at"] == "2026-03-09T10:00:00Z"  # Mon 11:00 Berlin
        assert got["resolution"]["due_at"] == "2026-03-11T10:00:00Z"  # 1h + 10h + 10h + 3h: Wed 11:00 Berlin
        assert got["response"]["elapsed_s"] == 3600

    def test_target_used_up_at_closing_time(self, contract):
        # P2 created Mon 17:30 Berlin: its 30 minutes are used up at 18:00 Berlin.
        events = log(contract, created("2026-03-02T16:30:00Z", "P2"))
        evening = clocks_at(contract, events, "2026-03-02T19:00:00Z")["response"]
        # No time left: the target would be reached at TIME itself, never at an instant before it.
        assert (evening["state"], evening["elapsed_s"], evening["due_at"]) == ("running", 1800, "2026-03-02T19:00:00Z")
        # P1's 4 hours (24x7) used up at 14:00, then paused at 14:00: due at TIME as well, not at 14:00.
        paused = log(
            contract, created("2026-03-02T10:00:00Z", "P1"), status("2026-03-02T14:00:00Z", "pending_customer")
        )
        later = clocks_at(contract, paused, "2026-03-02T15:00:00Z")["resolution"]
        assert (later["state"], later["elapsed_s"], later["due_at"]) == ("paused", 14400, "2026-03-02T15:00:00Z")
        on_time = log(contract, created("2026-03-02T16:30:00Z", "P2"), ("2026-03-03T07:00:00Z", "responded"))
        assert clocks_at(contract, on_time, "2026-03-04T00:00:00Z")["response"]["state"] == "met"
        late = log(contract, created("2026-03-02T16:30:00Z", "P2"), ("2026-03-03T07:00:01Z", "responded"))
        got = clocks_at(contract, late, "2026-03-04T00:00:00Z")["response"]
        assert (got["state"], got["elapsed_s"], got["breached_at"]) == ("breached", 1801, "2026-03-02T17:00:00Z")

    def test_spring_forward_weekend(self, contract):
        # Fri 2026-03-27 17:00 Berlin (UTC+1); Monday 2026-03-30 opens at 08:00 Berlin = 06:00Z (UTC+2).
        events = log(contract, created("2026-03-27T16:00:00Z", "P3"))
        got = clocks_at(contract, events, "2026-03-30T06:00:00Z")["resolution"]
        assert got["elapsed_s"] == 3600
        assert got["due_at"] == "2026-04-01T09:00:00Z"  # 1h + Mon 10h + Tue 10h + Wed 3h = Wed 11:00 Berlin
        assert clocks_at(contract, events, "2026-03-30T07:00:00Z")["resolution"]["elapsed_s"] == 7200

    def test_fall_back_weekend(self, contract):
        # Fri 2026-10-23 17:00 Berlin (UTC+2); Monday 2026-10-26 opens at 08:00 Berlin = 07:00Z (UTC+1).
        events = log(contract, created("2026-10-23T15:00:00Z", "P2"))
        got = clocks_at(contract, events, "2026-10-24T12:00:00Z")["resolution"]
        assert (got["elapsed_s"], got["due_at"]) == (3600, "2026-10-26T14:00:00Z")

    def test_easter_holidays(self, contract):
        # Thu 2026-04-02 17:00 Berlin; Good Friday 04-03 and Easter Monday 04-06 are closed.
        events = log(contract, created("2026-04-02T15:00:00Z", "P2"))
        got = clocks_at(contract, events, "2026-04-06T12:00:00Z")["resolution"]
        assert (got["elapsed_s"], got["due_at"]) == (3600, "2026-04-07T13:00:00Z")
        segments = explain_clock(contract, events, T("2026-04-07T07:00:00Z"), "resolution")
        holidays = [s for s in segments if s.kind == "holiday"]
        assert [format_instant(s.start)[:10] for s in holidays] == [
            "2026-04-02",
            "2026-04-05",
        ]  # local days start at 22:00Z
        assert all(s.label for s in holidays)
        assert sum(s.end - s.start for s in segments if s.kind == "running") == 3600 + 3600


class TestCnBusiness:
    def test_lunch_break_and_make_up_saturday(self, contract):
        # Fri 2026-05-08 17:30 Shanghai; Sat 05-09 is a make-up working day with Monday's hours.
        events = log(contract, created("2026-05-08T09:30:00Z", "P3", "mes-asia"))
        got = clocks_at(contract, events, "2026-05-09T06:00:00Z")  # Sat 14:00 Shanghai
        assert got["response"] == spec(
            "P3",
            "cn-business",
            14400,
            16200,
            "breached",
            "2026-05-09T05:30:00Z",
            "2026-05-09T05:30:00Z",
            clock="response",
        )  # 0.5h Friday, 09-12, lunch, 13:00-13:30 -> 4h at 13:30 Shanghai
        assert got["resolution"]["elapsed_s"] == 16200

    def test_labour_day_holidays(self, contract):
        # Thu 2026-04-30 17:00 Shanghai; 05-01, 05-02, 05-04 and 05-05 are off, 05-03 is a Sunday.
        events = log(contract, created("2026-04-30T09:00:00Z", "P2", "hr-portal"))
        got = clocks_at(contract, events, "2026-05-03T00:00:00Z")["resolution"]
        assert (got["calendar"], got["elapsed_s"], got["due_at"]) == ("cn-business", 3600, "2026-05-06T09:00:00Z")


class TestPausesAndStops:
    def test_pause_across_a_night(self, contract):
        # Mon 2026-03-02 17:00 Berlin; pending_customer from 17:30 until Tue 09:00 Berlin.
        rows = [
            created("2026-03-02T16:00:00Z", "P3"),
            status("2026-03-02T16:30:00Z", "pending_customer"),
            status("2026-03-03T08:00:00Z", "in_progress"),
        ]
        events = log(contract, *rows)
        night = clocks_at(contract, events, "2026-03-02T20:00:00Z")["resolution"]
        assert night == spec(
            "P3", "eu-business", 86400, 1800, "paused", due_at="2026-03-05T10:30:00Z", clock="resolution"
        )
        morning = clocks_at(contract, events, "2026-03-03T09:00:00Z")["resolution"]
        assert (morning["state"], morning["elapsed_s"]) == ("running", 1800 + 3600)
        # the response clock has no pause_on in the reference contract: it runs on (in business hours)
        assert clocks_at(contract, events, "2026-03-03T09:00:00Z")["response"]["elapsed_s"] == 3600 + 7200
        _facts, states = evaluate_ticket(contract, events, T("2026-03-02T20:00:00Z"))
        assert states[1].pause_status == "pending_customer"
        segments = explain_clock(contract, events, T("2026-03-03T09:00:00Z"), "resolution")
        assert [(s.kind, s.label) for s in segments] == [
            ("running", ""),
            ("paused", "pending_customer"),
            ("running", ""),
        ]

    def test_reopen_counts_on(self, contract):
        rows = [
            created("2026-03-02T09:00:00Z", "P1"),
            status("2026-03-02T10:00:00Z", "resolved"),
            status("2026-03-02T11:00:00Z", "in_progress"),
            status("2026-03-02T12:00:00Z", "resolved"),
        ]
        events = log(contract, *rows)
        between = clocks_at(contract, events, "2026-03-02T11:30:00Z")["resolution"]
        assert between == spec(
            "P1", "always", 14400, 5400, "running", due_at="2026-03-02T14:00:00Z", clock="resolution"
        )
        after = clocks_at(contract, events, "2026-03-02T13:00:00Z")["resolution"]
        assert (after["state"], after["elapsed_s"], after["stopped_at"]) == ("met", 7200, "2026-03-02T12:00:00Z")
        facts, _states = evaluate_ticket(contract, events, T("2026-03-02T13:00:00Z"))
        assert (facts.reopen_count, facts.resolved_at, facts.status) == (1, T("2026-03-02T12:00:00Z"), "resolved")
        # the response clock stopped at the first resolve and stays stopped
        assert clocks_at(contract, events, "2026-03-02T11:30:00Z")["response"]["stopped_at"] == "2026-03-02T10:00:00Z"
        segments = explain_clock(contract, events, T("2026-03-02T13:00:00Z"), "resolution")
        assert [(s.kind, s.label, s.end - s.start) for s in segments] == [
            ("running", "", 3600),
            ("stopped", "resolved", 3600),
            ("running", "", 3600),
        ]

    def test_resolved_then_closed_is_no_new_stop(self, contract):
        rows = [
            created("2026-03-02T09:00:00Z", "P1"),
            status("2026-03-02T10:00:00Z", "resolved"),
            status("2026-03-02T11:00:00Z", "closed"),
        ]
        got = clocks_at(contract, log(contract, *rows), "2026-03-03T00:00:00Z")["resolution"]
        assert (got["state"], got["elapsed_s"], got["stopped_at"]) == ("met", 3600, "2026-03-02T10:00:00Z")

    def test_closed_directly_is_a_stop(self, contract):
        rows = [created("2026-03-02T09:00:00Z", "P1"), status("2026-03-02T09:30:00Z", "closed")]
        got = clocks_at(contract, log(contract, *rows), "2026-03-03T00:00:00Z")
        assert got["resolution"]["stopped_at"] == got["response"]["stopped_at"] == "2026-03-02T09:30:00Z"

    def test_events_after_the_instant_are_ignored(self, contract):
        rows = [
            created("2026-03-02T09:00:00Z", "P1"),
            ("2026-03-02T09:05:00Z", "responded"),
            status("2026-03-02T10:00:00Z", "resolved"),
        ]
        events = log(contract, *rows)
        got = clocks_at(contract, events, "2026-03-02T09:04:59Z")
        assert got["response"]["state"] == "running" and got["response"]["elapsed_s"] == 299
        assert (
            clocks_at(contract, events, "2026-03-02T09:05:00Z")["response"]["state"] == "met"
        )  # an event at TIME counts
        assert clocks_at(contract, events, "2026-03-02T09:59:59Z")["resolution"]["state"] == "running"

    def test_response_stopped_by_resolve_before_any_reply(self, contract):
        rows = [
            created("2026-03-02T09:00:00Z", "P1"),
            status("2026-03-02T09:05:00Z", "resolved"),
            ("2026-03-02T09:20:00Z", "responded"),
        ]
        got = clocks_at(contract, log(contract, *rows), "2026-03-02T10:00:00Z")["response"]
        assert (got["state"], got["elapsed_s"], got["stopped_at"]) == ("met", 300, "2026-03-02T09:05:00Z")

    def test_ties_keep_file_order(self, contract):
        resolve_then_reopen = [
            created("2026-03-02T09:00:00Z", "P1"),
            status("2026-03-02T10:00:00Z", "resolved"),
            status("2026-03-02T10:00:00Z", "in_progress"),
        ]
        got = clocks_at(contract, log(contract, *resolve_then_reopen), "2026-03-02T11:00:00Z")["resolution"]
        assert (got["state"], got["elapsed_s"], got["stopped_at"]) == ("running", 7200, None)
        reopen_then_resolve = [resolve_then_reopen[0], resolve_then_reopen[2], resolve_then_reopen[1]]
        got = clocks_at(contract, log(contract, *reopen_then_resolve), "2026-03-02T11:00:00Z")["resolution"]
        assert (got["state"], got["elapsed_s"], got["stopped_at"]) == ("met", 3600, "2026-03-02T10:00:00Z")

    def test_created_and_resolved_in_the_same_second(self, contract):
        rows = [created("2026-03-02T09:00:00Z", "P1"), status("2026-03-02T09:00:00Z", "resolved")]
        got = clocks_at(contract, log(contract, *rows), "2026-03-02T09:00:00Z")
        assert got["resolution"] == spec(
            "P1", "always", 14400, 0, "met", stopped_at="2026-03-02T09:00:00Z", clock="resolution"
        )


class TestPriorityChanges:
    def test_retroactive_p3_to_p1_uses_always_from_the_start(self, contract):
        # Fri 2026-03-06 18:00 Berlin is after hours, but P1 counts on the 24x7 calendar from creation.
        rows = [created("2026-03-06T17:00:00Z", "P3"), ("2026-03-07T10:00:00Z", "priority", {"priority": "P1"})]
        events = log(contract, *rows)
        before = clocks_at(contract, events, "2026-03-07T09:00:00Z")["resolution"]
        assert (before["priority"], before["calendar"], before["elapsed_s"]) == ("P3", "eu-business", 0)
        after = clocks_at(contract, events, "2026-03-07T12:00:00Z")
        assert after["resolution"] == spec(
            "P1", "always", 14400, 68400, "breached", "2026-03-06T21:00:00Z", "2026-03-06T21:00:00Z", clock="resolution"
        )
        assert after["response"]["breached_at"] == "2026-03-06T17:15:00Z"

    def test_priority_after_the_stop_does_not_apply(self, contract):
        rows = [
            created("2026-03-02T09:00:00Z", "P3"),
            ("2026-03-02T09:30:00Z", "responded"),
            ("2026-03-02T10:00:00Z", "priority", {"priority": "P1"}),
        ]
        got = clocks_at(contract, log(contract, *rows), "2026-03-02T11:00:00Z")
        assert (got["response"]["priority"], got["response"]["state"]) == ("P3", "met")
        assert got["resolution"]["priority"] == "P1"

    def test_restart(self):
        contract = variant_contract(resolution={"on_priority_change": "restart"})
        rows = [created("2026-03-06T17:00:00Z", "P3"), ("2026-03-07T10:00:00Z", "priority", {"priority": "P1"})]
        events = log(contract, *rows)
        _facts, states = evaluate_ticket(contract, events, T("2026-03-07T12:00:00Z"))
        resolution = states[1]
        assert (resolution.started_at, resolution.elapsed_s, resolution.state) == (
            T("2026-03-07T10:00:00Z"),
            7200,
            "running",
        )
        assert format_instant(resolution.due_at) == "2026-03-07T14:00:00Z"

    def test_split(self):
        # P3 on eu-business for 12 open hours (half of 24h), then P1 (4h on 24x7): half of 4h is left.
        contract = variant_contract(resolution={"on_priority_change": "split"})
        rows = [
            created("2026-03-02T07:00:00Z", "P3"),  # Mon 08:00 Berlin
            ("2026-03-03T09:00:00Z", "priority", {"priority": "P1"}),  # Tue 10:00 Berlin: 10h + 2h on P3
        ]
        events = log(contract, *rows)
        running = clocks_at(contract, events, "2026-03-03T10:00:00Z")["resolution"]
        # consumed 1/2 + 1h/4h = 3/4 of the P1 target
        assert running == spec(
            "P1", "always", 14400, 10800, "running", due_at="2026-03-03T11:00:00Z", clock="resolution"
        )
        breached = clocks_at(contract, events, "2026-03-03T11:00:01Z")["resolution"]
        assert (breached["state"], breached["elapsed_s"], breached["breached_at"]) == (
            "breached",
            14401,
            "2026-03-03T11:00:00Z",
        )
        on_the_dot = clocks_at(contract, events, "2026-03-03T11:00:00Z")["resolution"]
        assert (on_the_dot["state"], on_the_dot["elapsed_s"]) == ("running", 14400)


class TestExtendedClocks:
    def test_warnings(self):
        contract = variant_contract(
            resolution={"warnings": [{"at": "50%", "notify": ["assignee"]}, {"at": "90%", "notify": ["team_lead"]}]}
        )
        events = log(contract, created("2026-03-02T09:00:00Z", "P1"))
        _facts, states = evaluate_ticket(contract, events, T("2026-03-02T11:30:00Z"))
        assert [(share, format_instant(at)) for share, at in states[1].warnings_due] == [
            (Fraction(1, 2), "2026-03-02T11:00:00Z"),  # reached
            (Fraction(9, 10), "2026-03-02T12:36:00Z"),  # projected
        ]

    def test_ola_clocks_accumulate_per_team(self):
        contract = variant_contract(
            olas={
                "app-support-cn": {
                    "targets": {p: {"within": "2h", "calendar": "always"} for p in ("P1", "P2", "P3", "P4")}
                },
                "hw-vendor": {
                    "underpinning": True,
                    "targets": {p: {"within": "8h", "calendar": "always"} for p in ("P1", "P2", "P3", "P4")},
                },
            }
        )
        rows = [
            created("2026-03-02T09:00:00Z", "P1", team="service-desk"),
            ("2026-03-02T09:30:00Z", "assigned", {"team": "app-support-cn"}),
            ("2026-03-02T10:30:00Z", "assigned", {"team": "hw-vendor"}),
            ("2026-03-02T11:00:00Z", "assigned", {"team": "app-support-cn"}),
        ]
        events = log(contract, *rows)
        facts, states = evaluate_ticket(contract, events, T("2026-03-02T11:45:00Z"))
        assert [s.clock for s in states] == ["response", "resolution", "ola:app-support-cn", "ola:hw-vendor"]
        app, hw = states[2], states[3]
        assert (app.elapsed_s, app.state, app.team, format_instant(app.due_at)) == (
            6300,
            "running",
            "app-support-cn",
            "2026-03-02T12:00:00Z",
        )
        assert (hw.elapsed_s, hw.state, format_instant(hw.stopped_at)) == (1800, "met", "2026-03-02T11:00:00Z")
        assert facts.teams == [
            (T("2026-03-02T09:00:00Z"), "service-desk"),
            (T("2026-03-02T09:30:00Z"), "app-support-cn"),
            (T("2026-03-02T10:30:00Z"), "hw-vendor"),
            (T("2026-03-02T11:00:00Z"), "app-support-cn"),
        ]
        assert facts.assigned
        segments = explain_clock(contract, events, T("2026-03-02T11:45:00Z"), "ola:app-support-cn")
        assert [(s.kind, s.label) for s in segments] == [
            ("running", ""),
            ("stopped", "held by hw-vendor"),
            ("running", ""),
        ]

    def test_update_clock_restarts_at_each_reply(self):
        contract = variant_contract(
            update={
                "pause_on": ["pending_customer"],
                "targets": {p: {"within": "1h", "calendar": "always"} for p in ("P1", "P2", "P3", "P4")},
            }
        )
        rows = [
            created("2026-03-02T09:00:00Z", "P2"),
            ("2026-03-02T09:10:00Z", "responded"),
            ("2026-03-02T10:00:00Z", "responded"),
        ]
        events = log(contract, *rows)
        got = clocks_at(contract, events, "2026-03-02T10:20:00Z")
        assert list(got) == ["response", "resolution", "update"]
        assert got["update"] == spec(
            "P2", "always", 3600, 1200, "running", due_at="2026-03-02T11:00:00Z", clock="update"
        )
        late = clocks_at(contract, events, "2026-03-02T11:30:00Z")["update"]
        assert (late["state"], late["breached_at"]) == ("breached", "2026-03-02T11:00:00Z")

    def test_response_clock_with_pause_on(self):
        contract = variant_contract(response={"pause_on": ["pending_customer"]})
        rows = [created("2026-03-02T09:00:00Z", "P1"), status("2026-03-02T09:05:00Z", "pending_customer")]
        events = log(contract, *rows)
        _facts, states = evaluate_ticket(contract, events, T("2026-03-02T10:00:00Z"))
        response = states[0]
        assert (response.state, response.elapsed_s, response.pause_status) == ("paused", 300, "pending_customer")
        assert format_instant(response.due_at) == "2026-03-02T10:10:00Z"  # 10 minutes left, counted from TIME


class TestReplay:
    def test_sorted_by_ticket_and_skips_tickets_created_later(self, contract):
        lines = [
            orjson.dumps({"ticket": t, "at": at, "type": "created", "priority": "P1", "service": "sso"})
            for t, at in [("b", "2026-03-02T09:00:00Z"), ("a", "2026-03-02T09:00:00Z"), ("c", "2026-03-02T12:00:00Z")]
        ]
        events = parse_event_log(lines, contract, "x")
        got = [(s.ticket, s.clock) for s in replay(contract, events, T("2026-03-02T10:00:00Z"))]
        assert got == [("a", "response"), ("a", "resolution"), ("b", "response"), ("b", "resolution")]
