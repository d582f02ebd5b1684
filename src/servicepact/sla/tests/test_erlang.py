"""Erlang B and C against published values, and the edges of the staffing search."""

import math

import pytest

from servicepact.sla.erlang import ErlangError, agents_required, erlang_b_series, erlang_c, service_level


def erlang_b(agents: int, traffic: float) -> float:
    for n, blocking in erlang_b_series(traffic):
        if n == agents:
            return blocking
    raise AssertionError


# Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example": 100 calls in 30 minutes,
# handling time 180 s (10 erlangs), 80% within 20 s, maximum occupancy 85%, shrinkage 30%. Its table of
# trials gives, per number of agents, the probability of waiting and the service level:
#   11 agents 68.21% and 39.0%; 12 agents 44.94% and 64.0%; 13 agents 28.53% and 79.6%; 14 agents 17.41% and 88.8%
# and so 14 agents (occupancy 71.4%), 20 after shrinkage.
@pytest.mark.parametrize(
    ("agents", "waits", "level"),
    [(11, 0.6821, 0.390), (12, 0.4494, 0.640), (13, 0.2853, 0.796), (14, 0.1741, 0.888)],
)
def test_erlang_c_matches_the_call_centre_helper_worked_example(agents: int, waits: float, level: float) -> None:
    assert erlang_c(agents, 10.0) == pytest.approx(waits, abs=5e-5)
    assert service_level(agents, 10.0, 20, 180) == pytest.approx(level, abs=5e-4)


def test_the_worked_example_needs_14_agents() -> None:
    staffing = agents_required(200, 180, 20, 0.8, 0.85)
    assert staffing.agents == 14
    assert staffing.occupancy == pytest.approx(0.714, abs=5e-4)
    assert math.ceil(staffing.agents / (1 - 0.3)) == 20


# The Erlang B table (blocking probability 1%) printed in traffic engineering handbooks, e.g. the ITU-T
# "Teletraffic Engineering Handbook" (ITU-D SG 2/16, 2005), table of the Erlang B formula: the traffic
# that N circuits carry at 1% loss: N=1 0.0101, N=5 1.361, N=10 4.461, N=20 12.03, N=50 37.90, N=100 84.06.
@pytest.mark.parametrize(
    ("agents", "traffic"), [(1, 0.0101), (5, 1.361), (10, 4.461), (20, 12.03), (50, 37.90), (100, 84.06)]
)
def test_erlang_b_recursion_matches_the_one_percent_table(agents: int, traffic: float) -> None:
    assert erlang_b(agents, traffic) == pytest.approx(0.01, rel=2e-3)


def test_erlang_c_equals_the_closed_formula_for_small_loads() -> None:
    for agents, traffic in ((3, 2.0), (7, 5.5), (20, 15.0)):
        top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
        bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
        assert erlang_c(agents, traffic) == pytest.approx(top / bottom, rel=1e-12)


def test_no_arrivals_need_no_agents() -> None:
    staffing = agents_required(0, 600, 900, 0.8, 0.85)
    assert staffing.agents == 0


def test_arrivals_with_no_handling_time_need_one_agent() -> None:
    assert agents_required(3, 0, 900, 0.8, 0.85).agents == 1


def test_the_occupancy_bound_binds_when_the_service_level_is_easy() -> None:
    # 1 arrival an hour of 1.5 h: 1.5 erlangs; a long target makes 2 agents answer in time, but occupancy
    # 1.5/2 = 75% exceeds a 50% bound, so 3 are required.
    easy = agents_required(1, 5400, 36000, 0.8, 1.0)
    assert easy.agents == 2
    bound = agents_required(1, 5400, 36000, 0.8, 0.5)
    assert bound.agents == 3 and bound.occupancy == pytest.approx(0.5)


def test_a_huge_load_neither_overflows_nor_stalls() -> None:
    # 200,000 arrivals an hour of 15 minutes: 50,000 erlangs; A**N / N! would overflow any float.
    staffing = agents_required(200_000, 900, 20, 0.8, 0.99)
    assert 50_000 < staffing.agents < 51_000
    assert staffing.service_level >= 0.8 and staffing.occupancy <= 0.99
    assert 0 < erlang_c(50_100, 50_000.0) < 1


def test_too_few_agents_always_wait() -> None:
    assert erlang_c(10, 10.0) == 1.0
    assert service_level(9, 10.0, 20, 180) == 0.0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((-1, 180, 20, 0.8, 0.85), "arrivals per hour must be a finite number at least 0, not -1"),
        ((1, math.inf, 20, 0.8, 0.85), "handling s must be a finite number at least 0, not inf"),
        ((1, 180, 20, 1.0, 0.85), "service level must lie strictly between 0 and 1, not 1.0"),
        ((1, 180, 20, 0.8, 0), "maximum occupancy must lie above 0 and at most 1, not 0"),
    ],
)
def test_bad_inputs_are_refused_by_name(arguments: tuple, message: str) -> None:
    with pytest.raises(ErlangError, match=message):
        agents_required(*arguments)
