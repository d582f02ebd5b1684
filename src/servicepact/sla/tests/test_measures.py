"""Measures and credits over hand-made clock states, independent of the clock engine."""

from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from servicepact.sla.credits import compute_credits
from servicepact.sla.measure_names import KNOWN_MEASURES
from servicepact.sla.measures import (
    MEASURE_TYPES,
    UNASSIGNED_TEAM,
    TicketAtEnd,
    Window,
    attribute_to_teams,
    decimal_text,
    excluded_by,
    is_met,
    json_number,
    nearest_rank,
    round_half_up,
)

WINDOW = Window(1000, 2000)
END = 2000


def clock(name, state, stopped_at=None, elapsed=0):
    return SimpleNamespace(clock=name, state=state, stopped_at=stopped_at, elapsed_s=elapsed)


def ticket(
    ticket_id,
    *,
    response=None,
    resolution=None,
    created_at=0,
    category=None,
    assigned=False,
    reopen_count=0,
    teams=(),
    extra_clocks=(),
    running=(),
    contract=None,
):
    facts = SimpleNamespace(
        ticket=ticket_id,
        created_at=created_at,
        service="sap-erp",
        category=category,
        priority="P2",
        status="new",
        teams=list(teams),
        assigned=assigned,
        reopen_count=reopen_count,
    )
    clocks = {c.clock: c for c in (response, resolution, *extra_clocks) if c is not None}
    segments = [SimpleNamespace(start=start, end=stop, kind="running", label="") for start, stop in running]
    return TicketAtEnd(
        facts=facts,
        clocks=clocks,
        events=[],
        contract=contract or SimpleNamespace(vendors=[], olas={}),
        end=END,
        explain=lambda name: segments,
    )


def run(name, tickets, scores=None):
    measure = MEASURE_TYPES[name](WINDOW, keep_tickets=True, scores=scores)
    for item in tickets:
        if measure.counts(item):
            measure.feed(item)
    return measure


def test_every_known_name_has_an_implementation():
    assert set(MEASURE_TYPES) == KNOWN_MEASURES


def test_met_ratio_counts_only_clocks_stopped_inside_the_period():
    tickets = [
        ticket("A", resolution=clock("resolution", "met", 1000)),  # first instant: inside
        ticket("B", resolution=clock("resolution", "breached", 1999)),
        ticket("C", resolution=clock("resolution", "met", 999)),  # previous period
        ticket("D", resolution=clock("resolution", "breached", None)),  # open, breached: not in ratios
        ticket("E", resolution=clock("resolution", "running", None)),
    ]
    measure = run("resolution_met_ratio", tickets)
    tally = measure.tally()
    assert (tally.value, tally.numerator, tally.denominator) == (Fraction(1, 2), 1, 2)
    assert measure.numerator_tickets == ["A"]
    assert measure.denominator_tickets == ["A", "B"]


def test_response_ratio_uses_the_response_clock():
    tickets = [
        ticket("A", response=clock("response", "breached", 1500), resolution=clock("resolution", "met", 1600)),
    ]
    assert run("response_met_ratio", tickets).tally().value == 0


def test_nothing_to_count_gives_null_and_neither_met_nor_missed():
    tally = run("resolution_met_ratio", []).tally()
    assert tally.value is None and tally.denominator == 0
    assert is_met(tally.value, ">=", Fraction(95, 100)) is None


def test_first_contact_needs_no_assignment_and_no_reopen():
    tickets = [
        ticket("A", resolution=clock("resolution", "met", 1500)),
        ticket(
            "B", resolution=clock("resolution", "breached", 1500)
        ),  # breached still counts as solved at first contact
        ticket("C", resolution=clock("resolution", "met", 1500), assigned=True),
        ticket("D", resolution=clock("resolution", "met", 1500), reopen_count=1),
        ticket("E", resolution=clock("resolution", "running")),
    ]
    measure = run("first_contact_resolution_ratio", tickets)
    assert measure.tally().value == Fraction(2, 4)
    assert measure.numerator_tickets == ["A", "B"]


def test_reopen_ratio():
    tickets = [
        ticket("A", resolution=clock("resolution", "met", 1500), reopen_count=2),
        ticket("B", resolution=clock("resolution", "met", 1500)),
    ]
    assert run("reopen_ratio", tickets).tally().value == Fraction(1, 2)


def test_backlog_and_its_p90_age_use_open_tickets_at_end():
    tickets = [
        ticket(f"T{i}", resolution=clock("resolution", "running"), created_at=END - 100 * i) for i in range(1, 11)
    ]
    tickets.append(ticket("closed", resolution=clock("resolution", "met", 1500), created_at=0))
    assert run("backlog", tickets).tally().value == 10
    # ages 100..1000; nearest rank ceil(0.9 * 10) = 9th smallest
    assert run("backlog_age_p90_s", tickets).tally().value == 900


def test_nearest_rank():
    assert nearest_rank([], Fraction(9, 10)) is None
    assert nearest_rank([5], Fraction(9, 10)) == 5
    assert nearest_rank(list(range(1, 12)), Fraction(9, 10)) == 10  # ceil(9.9) = 10


def test_resolution_business_time_mean_and_p90():
    tickets = [ticket(f"T{i}", resolution=clock("resolution", "met", 1500, elapsed=i * 60)) for i in (1, 2, 4)]
    tickets.append(ticket("open", resolution=clock("resolution", "running", None, elapsed=10**6)))
    mean = run("mean_resolution_business_s", tickets).tally()
    assert (mean.value, mean.numerator, mean.denominator) == (Fraction(420, 3), 420, 3)
    assert run("p90_resolution_business_s", tickets).tally().value == 240


def test_ola_met_ratio_counts_clocks_and_splits_by_team():
    tickets = [
        ticket(
            "A",
            extra_clocks=[clock("ola:app-support", "met", 1200), clock("ola:hw-vendor", "breached", 1300)],
        ),
        ticket("B", extra_clocks=[clock("ola:app-support", "met", 1400)]),
        ticket("C", extra_clocks=[clock("ola:app-support", "breached", 500)]),
    ]
    measure = run("ola_met_ratio", tickets)
    tally = measure.tally()
    assert (tally.value, tally.numerator, tally.denominator) == (Fraction(2, 3), 2, 3)
    assert tally.by_team == {
        "app-support": {"value": 1, "numerator": 2, "denominator": 2},
        "hw-vendor": {"value": 0, "numerator": 0, "denominator": 1},
    }
    assert measure.numerator_tickets == ["B"]


def test_attribute_to_teams_splits_running_time_at_handovers():
    teams = [(1100, "desk"), (1500, "hw-vendor")]
    assert attribute_to_teams([(1000, 1200), (1400, 1600)], teams) == {
        UNASSIGNED_TEAM: 100,
        "desk": 200,
        "hw-vendor": 100,
    }


def test_vendor_time_share_counts_vendor_and_underpinning_teams():
    contract = SimpleNamespace(vendors=["hw-vendor"], olas={"carrier": SimpleNamespace(underpinning=True)})
    tickets = [
        ticket(
            "A",
            resolution=clock("resolution", "met", 1900, elapsed=400),
            teams=[(0, "desk"), (1300, "hw-vendor")],
            running=[(1000, 1400)],
            contract=contract,
        ),
        ticket(
            "B",
            resolution=clock("resolution", "met", 1900, elapsed=100),
            teams=[(0, "carrier")],
            running=[(1000, 1100)],
            contract=contract,
        ),
    ]
    tally = run("vendor_time_share", tickets).tally()
    assert (tally.numerator, tally.denominator) == (200, 500)
    assert tally.value == Fraction(2, 5)
    assert tally.by_team["desk"] == {"value": 0.6, "numerator": 300, "denominator": 500}


def test_satisfaction_score_is_null_without_surveys_and_a_mean_with_them():
    tickets = [ticket(name, resolution=clock("resolution", "met", 1500)) for name in "ABC"]
    assert run("satisfaction_score", tickets).tally().value is None
    tally = run("satisfaction_score", tickets, scores={"A": 5, "B": 4, "Z": 1}).tally()
    assert (tally.value, tally.denominator) == (Fraction(9, 2), 2)


def test_exclusions_name_the_matching_rule():
    definition = SimpleNamespace(id="fcr", exclude={"category": ["hardware-onsite", "printer"]})
    assert excluded_by(definition, ticket("A", category="printer")) == ["category=printer"]
    assert excluded_by(definition, ticket("B", category="software")) == []
    assert excluded_by(definition, ticket("C", category=None)) == []
    with pytest.raises(ValueError, match="'colour'"):
        excluded_by(SimpleNamespace(id="x", exclude={"colour": ["red"]}), ticket("D"))


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        (">=", Fraction(95, 100), True),
        (">", Fraction(95, 100), False),
        ("<=", Fraction(95, 100), True),
        ("<", Fraction(95, 100), False),
    ],
)
def test_met_compares_the_exact_value(op, value, expected):
    assert is_met(Fraction(19, 20), op, value) is expected


def test_met_is_decided_before_rounding():
    # 0.94999 rounds to 0.95 in print but does not meet ">= 0.95"
    value = Fraction(94999, 100000)
    assert json_number(value) == 0.95
    assert is_met(value, ">=", Fraction(95, 100)) is False


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(1, 3), 4, "0.3333"),
        (Fraction(2, 3), 4, "0.6667"),
        (Fraction(12345, 100000), 4, "0.1235"),  # exact half rounds up
        (Fraction(-12345, 100000), 4, "-0.1235"),
        (Fraction(0), 2, "0.00"),
        (Fraction(14400), 2, "14400.00"),
    ],
)
def test_round_half_up(value, places, text):
    assert str(round_half_up(value, places)) == text


def test_decimal_text_is_exact():
    assert decimal_text(Fraction(95, 100)) == "0.95"
    assert decimal_text(Fraction(1, 2)) == "0.5"
    assert decimal_text(Fraction(3)) == "3"


def credits_def(rules, cap="0.15", fee="120000"):
    return SimpleNamespace(
        monthly_fee_amount=Decimal(fee),
        currency="EUR",
        cap=Fraction(cap),
        rules=[SimpleNamespace(measure=m, below=Fraction(b), credit=Fraction(c)) for m, b, c in rules],
    )


REFERENCE_RULES = [
    ("resolution-compliance", "0.95", "0.05"),
    ("resolution-compliance", "0.90", "0.10"),
    ("response-compliance", "0.98", "0.02"),
]


def test_credits_take_the_largest_rule_per_measure_and_sum():
    credits = compute_credits(
        credits_def(REFERENCE_RULES),
        {"resolution-compliance": Fraction(85, 100), "response-compliance": Fraction(97, 100)},
    )
    assert [rule["credit_percent"] for rule in credits["rules"]] == [5, 10, 2]
    assert credits["applied"] == [
        {"measure": "resolution-compliance", "percent": 10},
        {"measure": "response-compliance", "percent": 2},
    ]
    assert credits["total_percent"] == 12
    assert credits["amount"] == "14400.00"
    assert credits["currency"] == "EUR"


def test_credits_need_a_value_strictly_below():
    credits = compute_credits(
        credits_def(REFERENCE_RULES), {"resolution-compliance": Fraction(95, 100), "response-compliance": None}
    )
    assert credits["rules"] == [] and credits["total_percent"] == 0 and credits["amount"] == "0.00"


def test_credits_are_capped():
    rules = [("a", "1", "0.10"), ("b", "1", "0.10")]
    credits = compute_credits(credits_def(rules, cap="0.15", fee="1000.50"), {"a": Fraction(0), "b": Fraction(0)})
    assert credits["total_before_cap_percent"] == 20
    assert credits["total_percent"] == 15
    assert credits["amount"] == "150.08"  # 150.075 rounds half-up
