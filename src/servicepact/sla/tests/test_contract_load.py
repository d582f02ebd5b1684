"""The reference contract and the language's extensions load into the model the kernel codes against."""

import datetime
import hashlib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from servicepact.sla.calendar import BusinessCalendar
from servicepact.sla.contract import Comparison, Contract, load_contract, load_contract_file

CONTRACTS = Path(__file__).parent / "contracts"
REFERENCE = Path(__file__).parents[2] / "contracts" / "examples" / "globex-ito.yaml"


@pytest.fixture(scope="module")
def globex() -> Contract:
    return load_contract_file(REFERENCE)


@pytest.fixture(scope="module")
def acme() -> Contract:
    return load_contract_file(CONTRACTS / "extensions.yaml")


def test_reference_contract_loads_without_errors_or_warnings(globex: Contract) -> None:
    assert globex.warnings == []
    assert (globex.id, globex.version, globex.customer, globex.provider) == ("globex-ito", 1, "globex", "northwind")
    assert globex.effective_from == datetime.date(2026, 1, 1)
    assert globex.effective_to == datetime.date(2027, 12, 31)
    assert globex.reporting_timezone == "Europe/Berlin"
    assert globex.vendors == []


def test_fixture_copy_of_reference_is_the_reference() -> None:
    assert (CONTRACTS / "globex-v1.yaml").read_bytes() == REFERENCE.read_bytes()


def test_source_sha256_is_of_the_exact_bytes(globex: Contract) -> None:
    assert globex.source_sha256 == hashlib.sha256(REFERENCE.read_bytes()).hexdigest()
    assert load_contract(REFERENCE.read_text(encoding="utf-8")).source_sha256 == globex.source_sha256


def test_calendars_hold_weekly_windows_in_seconds(globex: Contract) -> None:
    cn = globex.calendars["cn-business"]
    assert cn.timezone == "Asia/Shanghai"
    assert cn.holidays == "CN"
    assert cn.weekly[0] == [(9 * 3600, 12 * 3600), (13 * 3600, 18 * 3600)]
    assert cn.weekly[5] == cn.weekly[6] == []
    assert not cn.always_open
    assert globex.calendars["always"].always_open


def test_services_priorities_and_matrix(globex: Contract) -> None:
    assert globex.services["mes-asia"].model_dump() == {
        "id": "mes-asia",
        "name": "Manufacturing execution (Asia)",
        "tier": 2,
        "calendar": "cn-business",
    }
    assert globex.priorities == ["P1", "P2", "P3", "P4"]
    assert globex.priority_for("medium", "high") == "P2"
    with pytest.raises(KeyError, match="impact 'huge'"):
        globex.priority_for("huge", "high")


def test_clocks_have_targets_in_seconds_and_their_rules(globex: Contract) -> None:
    response, resolution = globex.clocks["response"], globex.clocks["resolution"]
    assert list(globex.clocks) == ["response", "resolution"]
    assert response.stop_on == "responded"
    assert response.targets["P1"].within_s == 900
    assert response.targets["P2"].calendar == "service"
    assert resolution.pause_on == frozenset({"pending_customer"})
    assert resolution.targets["P4"].within_s == 80 * 3600
    assert resolution.on_priority_change == "retroactive"
    assert resolution.warnings == []


def test_measures_and_credits_are_exact(globex: Contract) -> None:
    first, second, third = globex.measures
    assert first.baseline == Fraction(9, 10)
    assert first.target == Comparison(">=", Fraction(95, 100))
    assert second.baseline is None
    assert third.exclude == {"category": ["hardware-onsite"]}
    assert third.frequency == "monthly"
    credits = globex.credits
    assert credits is not None
    assert (credits.monthly_fee_amount, credits.currency, credits.cap) == (Decimal(120000), "EUR", Fraction(15, 100))
    assert [(r.measure, r.below, r.credit) for r in credits.rules][1] == (
        "resolution-compliance",
        Fraction(9, 10),
        Fraction(1, 10),
    )


def test_clock_calendar_resolves_service_calendars(globex: Contract) -> None:
    name, calendar = globex.clock_calendar("resolution", "P3", "mes-asia")
    assert name == "cn-business"
    assert isinstance(calendar, BusinessCalendar)
    assert calendar.timezone == "Asia/Shanghai"
    assert globex.clock_calendar("response", "P1", "mes-asia")[0] == "always"
    assert globex.business_calendar("cn-business") is calendar  # built once
    with pytest.raises(KeyError, match="no clock 'update'"):
        globex.clock_calendar("update", "P1", "sso")


def test_business_calendars_count_open_hours(globex: Contract) -> None:
    monday_8am_berlin = int(datetime.datetime(2026, 3, 2, 7, 0, tzinfo=datetime.UTC).timestamp())
    eu = globex.business_calendar("eu-business")
    assert eu.elapsed(monday_8am_berlin, monday_8am_berlin + 24 * 3600) == 10 * 3600
    always = globex.business_calendar("always")
    assert always.elapsed(0, 1000) == 1000
    assert globex.business_calendar("24x7").elapsed(0, 7) == 7


def test_extensions_load(acme: Contract) -> None:
    assert acme.warnings == []
    assert acme.effective_to is None
    assert acme.vendors == ["hw-vendor"]
    assert acme.priorities == ["P1", "P2", "P10"]  # digits compare as numbers
    assert list(acme.clocks) == ["response", "resolution", "update"]
    resolution = acme.clocks["resolution"]
    assert resolution.on_priority_change == "split"
    assert [(w.at, w.notify[0]) for w in resolution.warnings] == [
        (Fraction(1, 2), "assignee"),
        (Fraction(9, 10), "assignee"),
    ]
    assert resolution.targets["P2"].within_s == 5400
    assert list(acme.olas) == ["app-support-cn", "hw-vendor"]
    assert acme.olas["hw-vendor"].underpinning and acme.olas["hw-vendor"].team == "hw-vendor"
    assert acme.olas["app-support-cn"].pause_on == frozenset({"pending_customer"})
    assert acme.clock_calendar("ola:hw-vendor", "P2", "mes")[0] == "cn-shift"


def test_extension_calendar_days_and_values(acme: Contract) -> None:
    shift = acme.calendars["cn-shift"]
    assert shift.weekly[1] == [(9 * 3600, 12 * 3600), (13 * 3600, 18 * 3600)]  # sorted
    assert shift.weekly[4] == [(9 * 3600, 24 * 3600)]
    assert shift.closed == [datetime.date(2026, 12, 24)]
    assert shift.open == [datetime.date(2026, 12, 27)]
    mean = acme.measures[0]
    assert mean.baseline == 10 * 3600
    assert mean.target == Comparison("<=", Fraction(8 * 3600))
    assert mean.description == "Mean business time to resolve."
    assert acme.credits is None


def test_contract_is_immutable(globex: Contract) -> None:
    with pytest.raises(Exception, match="frozen"):
        globex.version = 2  # type: ignore[misc]


def test_a_byte_order_mark_is_accepted_and_hashed_as_given() -> None:
    with_bom = b"\xef\xbb\xbf" + REFERENCE.read_bytes()
    contract = load_contract(with_bom)
    assert contract.id == "globex-ito"
    assert contract.source_sha256 == hashlib.sha256(with_bom).hexdigest()
