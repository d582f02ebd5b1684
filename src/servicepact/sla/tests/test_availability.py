"""Availability (SLA-SPEC section 6): the contract clauses, the number, the report and its credits.

Every expected figure is computed by hand in the comment beside it. The contract is the spec's reference
(contracts/globex-availability.yaml, a byte-identical copy of contract-example-availability.yaml): the
month is cut in Europe/Berlin; erp-availability counts sap-erp around the clock, mes-availability counts
mes-asia in cn-business hours (Asia/Shanghai, mon-fri 09:00-12:00 and 13:00-18:00, CN holidays); the
maintenance windows are Sundays 01:00-05:00 Berlin time.
"""

import json
from pathlib import Path

import pytest

from servicepact.sla.commands import report as report_command
from servicepact.sla.contract import ContractError, load_contract
from servicepact.sla.outages import parse_outage_log
from servicepact.sla.periods import parse_period
from servicepact.sla.report import ReportError, build_report

CONTRACTS = Path(__file__).parent / "contracts"
AVAILABILITY_PATH = CONTRACTS / "globex-availability.yaml"
SPEC_COPY = Path("/work/shared/spec/contract-example-availability.yaml")
HOUR = 3600
MARCH_S = 743 * HOUR  # 31 days less the hour Berlin skips on 29 March 2026
MARCH_CN_S = 22 * 8 * HOUR  # 22 weekdays in March 2026 (no CN holiday), 8 hours each
NO_EVENTS: dict = {}


@pytest.fixture(scope="module")
def contract_text() -> str:
    return AVAILABILITY_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def contract(contract_text):
    return load_contract(contract_text, "globex-availability.yaml")


def variant(text: str, old: str, new: str):
    assert old in text, old
    return load_contract(text.replace(old, new, 1), "variant.yaml")


def outages_of(contract, *records: dict):
    return parse_outage_log([json.dumps(record) for record in records], contract.services, "OUTAGES")


def outage(service="sap-erp", start="2026-03-10T10:00:00Z", end="2026-03-10T11:00:00Z", planned=False, **more):
    record = {"service": service, "start": start, "planned": planned, **more}
    if end is not None:
        record["end"] = end
    return record


def measure(contract, records, measure_id="erp-availability", label="2026-03"):
    period = parse_period(label, contract.reporting_timezone)
    report = build_report(contract, b"", NO_EVENTS, period, outages=outages_of(contract, *records))
    found = next(item for item in report["measures"] if item["id"] == measure_id)
    return found, report


def downtime(found) -> int:
    return found["denominator"] - found["numerator"]


class TestContract:
    def test_the_reference_is_accepted_as_it_is(self, contract):
        if SPEC_COPY.exists():
            assert SPEC_COPY.read_bytes() == AVAILABILITY_PATH.read_bytes()
        assert [m.id for m in contract.measures if m.measure == "availability"] == [
            "erp-availability",
            "mes-availability",
        ]
        erp = contract.measures[3]
        assert (erp.service, erp.calendar) == ("sap-erp", "always")
        assert (contract.measures[4].service, contract.measures[4].calendar) == ("mes-asia", None)
        assert contract.maintenance == "maintenance-window"
        assert not [w for w in contract.warnings if w.severity == "error"]

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            (
                "    service: sap-erp\n",
                "",
                "variant.yaml:84:14: measures[3].measure: measure availability needs 'service'",
            ),
            (
                "    service: sap-erp\n",
                "    service: sap\n",
                'variant.yaml:85:14: measures[3].service: service "sap" is not defined',
            ),
            (
                "    calendar: always ",
                "    calendar: allways ",
                'variant.yaml:86:15: measures[3].calendar: calendar "allways" is not defined',
            ),
            (
                "    measure: resolution_met_ratio\n",
                "    measure: resolution_met_ratio\n    service: sso\n",
                "variant.yaml:66:5: measures[0].service: 'service' is only for measure availability",
            ),
            (
                "    measure: resolution_met_ratio\n",
                "    measure: resolution_met_ratio\n    calendar: always\n",
                "variant.yaml:66:5: measures[0].calendar: 'calendar' is only for measure availability",
            ),
            (
                "maintenance: maintenance-window ",
                "maintenance: sundays ",
                'variant.yaml:33:14: maintenance: calendar "sundays" is not defined',
            ),
            (
                "    service: mes-asia ",
                "    exclude: {category: [x]}\n    service: mes-asia ",
                "variant.yaml:93:5: measures[4].exclude: availability counts outages, not tickets",
            ),
            (
                '    target: ">= 0.999"\n',
                '    target: ">= 1.5"\n',
                'variant.yaml:89:13: measures[3].target: ">= 1.5" is out of range; availability is a ratio',
            ),
        ],
        ids=[
            "no-service",
            "unknown-service",
            "unknown-calendar",
            "service-elsewhere",
            "calendar-elsewhere",
            "unknown-maintenance",
            "exclude",
            "ratio-range",
        ],
    )
    def test_mistakes_are_errors_at_their_place(self, contract_text, old, new, expected):
        with pytest.raises(ContractError) as raised:
            variant(contract_text, old, new)
        problems = [str(d) for d in raised.value.diagnostics if d.severity == "error"]
        assert any(problem.startswith(expected) for problem in problems), "\n".join(problems)


class TestTheNumber:
    def test_no_outage_is_full_availability_over_the_month_with_its_daylight_saving_change(self, contract):
        found, report = measure(contract, [])
        assert (found["value"], found["numerator"], found["denominator"], found["met"]) == (1, MARCH_S, MARCH_S, True)
        assert report["availability"]["erp-availability"] == {
            "service": "sap-erp",
            "calendar": "always",
            "service_time_s": MARCH_S,
            "maintenance_s": 0,
            "agreed_service_time_s": MARCH_S,
            "downtime_s": 0,
        }

    def test_october_has_the_hour_back(self, contract):
        found, _ = measure(contract, [], label="2026-10")
        assert found["denominator"] == 745 * HOUR

    def test_an_outage_across_the_month_boundary_counts_in_each_month_for_its_part(self, contract):
        # February ends at 2026-02-28T23:00Z (midnight Berlin): one hour before, two hours after
        across = outage(start="2026-02-28T22:00:00Z", end="2026-03-01T01:00:00Z")
        february, _ = measure(contract, [across], label="2026-02")
        march, _ = measure(contract, [across])
        assert (february["denominator"], downtime(february)) == (28 * 24 * HOUR, HOUR)
        assert (march["denominator"], downtime(march)) == (MARCH_S, 2 * HOUR)
        assert february["value"] == 0.998512  # 2415600 / 2419200 = 0.99851190...

    def test_an_outage_across_the_spring_forward_is_its_real_length(self, contract):
        # 01:30 CET to 03:30 CEST on 29 March is one hour
        found, _ = measure(contract, [outage(start="2026-03-29T01:30:00+01:00", end="2026-03-29T03:30:00+02:00")])
        assert downtime(found) == HOUR

    def test_a_maintenance_window_on_the_spring_forward_sunday_is_three_hours(self, contract):
        # window 01:00 CET (00:00Z) to 05:00 CEST (03:00Z); planned 00:00Z-04:00Z: 3 h maintenance, 1 h down
        found, report = measure(
            contract, [outage(start="2026-03-29T00:00:00Z", end="2026-03-29T04:00:00Z", planned=True)]
        )
        figures = report["availability"]["erp-availability"]
        assert (figures["maintenance_s"], figures["downtime_s"]) == (3 * HOUR, HOUR)
        assert (found["denominator"], found["numerator"]) == (MARCH_S - 3 * HOUR, MARCH_S - 4 * HOUR)

    def test_a_maintenance_window_on_the_fall_back_sunday_is_five_hours(self, contract):
        # 25 October: window 01:00 CEST (24 Oct 23:00Z) to 05:00 CET (04:00Z)
        planned = outage(start="2026-10-24T22:00:00Z", end="2026-10-25T06:00:00Z", planned=True)
        _, report = measure(contract, [planned], label="2026-10")
        figures = report["availability"]["erp-availability"]
        assert (figures["maintenance_s"], figures["downtime_s"]) == (5 * HOUR, 3 * HOUR)

    def test_overlapping_outages_count_once(self, contract):
        first = outage(start="2026-03-10T10:00:00Z", end="2026-03-10T12:00:00Z")
        second = outage(start="2026-03-10T11:00:00Z", end="2026-03-10T13:00:00Z", planned=True)
        inside = outage(start="2026-03-10T11:15:00Z", end="2026-03-10T11:45:00Z")
        found, _ = measure(contract, [first, second, inside])
        assert downtime(found) == 3 * HOUR

    def test_planned_outages_inside_the_windows_are_not_agreed_time_and_outside_them_are_downtime(self, contract):
        inside = outage(start="2026-03-08T01:00:00+01:00", end="2026-03-08T06:00:00+01:00", planned=True)  # Sunday
        weekday = outage(start="2026-03-11T10:00:00Z", end="2026-03-11T11:00:00Z", planned=True)  # Wednesday
        unplanned_in_window = outage(start="2026-03-15T02:00:00+01:00", end="2026-03-15T03:00:00+01:00")
        found, report = measure(contract, [inside, weekday, unplanned_in_window])
        figures = report["availability"]["erp-availability"]
        # inside: 4 h in the window (01:00-05:00), 1 h after it; weekday: 1 h; unplanned in a window: 1 h
        assert (figures["maintenance_s"], figures["downtime_s"]) == (4 * HOUR, 3 * HOUR)
        assert (found["numerator"], found["denominator"]) == (MARCH_S - 7 * HOUR, MARCH_S - 4 * HOUR)

    def test_without_a_maintenance_calendar_planned_outages_are_downtime(self, contract_text):
        terms = variant(contract_text, "maintenance: maintenance-window ", "# ")
        inside = outage(start="2026-03-08T01:00:00+01:00", end="2026-03-08T06:00:00+01:00", planned=True)
        found, _ = measure(terms, [inside])
        assert (found["denominator"], downtime(found)) == (MARCH_S, 5 * HOUR)

    def test_an_open_outage_runs_to_the_end_of_the_period(self, contract):
        # mes-asia: the period ends at 1 April 06:00 in Shanghai; 31 March (Tuesday) 09:00-18:00 is 8 open hours
        found, _ = measure(contract, [outage("mes-asia", "2026-03-31T09:00:00+08:00", None)], "mes-availability")
        assert (found["denominator"], downtime(found)) == (MARCH_CN_S, 8 * HOUR)
        assert found["value"] == 0.954545  # 168 / 176 = 0.9545454...
        assert found["met"] is False

    def test_an_open_outage_with_end_null_reads_as_no_end(self, contract):
        found, _ = measure(
            contract,
            [{"service": "mes-asia", "start": "2026-03-31T09:00:00+08:00", "end": None, "planned": False}],
            "mes-availability",
        )
        assert downtime(found) == 8 * HOUR

    def test_an_outage_that_ends_after_the_period_is_cut_at_its_end(self, contract):
        # the month ends at 2026-03-31T22:00Z; 20:00Z to 2 April: two hours in March
        found, _ = measure(contract, [outage(start="2026-03-31T20:00:00Z", end="2026-04-02T00:00:00Z")])
        assert downtime(found) == 2 * HOUR

    def test_an_open_outage_from_before_the_period_takes_it_all(self, contract):
        found, _ = measure(contract, [outage(start="2026-01-15T00:00:00Z", end=None)])
        assert (found["value"], found["numerator"], found["met"]) == (0, 0, False)

    def test_outages_outside_the_period_or_of_other_services_count_nothing(self, contract):
        later = outage(start="2026-04-01T00:00:00Z", end=None)
        other = outage("sso", "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z")
        closed_hours = outage("mes-asia", "2026-03-07T10:00:00+08:00", "2026-03-07T12:00:00+08:00")  # Saturday
        assert downtime(measure(contract, [later, other])[0]) == 0
        assert downtime(measure(contract, [closed_hours], "mes-availability")[0]) == 0

    def test_no_agreed_service_time_is_null_neither_met_nor_missed_and_triggers_no_credit(self, contract_text):
        # the measure's hours are the maintenance windows themselves, all taken by planned work
        terms = variant(contract_text, "    calendar: always ", "    calendar: maintenance-window ")
        sundays = [
            outage(start=f"2026-03-{day:02d}T00:00:00Z", end=f"2026-03-{day:02d}T05:00:00Z", planned=True)
            for day in (1, 8, 15, 22, 29)
        ]
        found, report = measure(terms, sundays)
        assert (found["value"], found["met"], found["numerator"], found["denominator"]) == (None, None, 0, 0)
        assert "erp-availability" not in {rule["measure"] for rule in report["credits"]["rules"]}

    def test_met_compares_the_exact_ratio_not_the_six_decimals(self, contract):
        # 2675 s down: 2672125 / 2674800 = 0.99899990..., printed 0.999 but below ">= 0.999"
        found, report = measure(contract, [outage(start="2026-03-10T10:00:00Z", end="2026-03-10T10:44:35Z")])
        assert (found["value"], found["met"]) == (0.999, False)
        rule = next(rule for rule in report["credits"]["rules"] if rule["measure"] == "erp-availability")
        assert rule == {"measure": "erp-availability", "value": 0.999, "below": 0.999, "credit_percent": 5}

    def test_credits_name_availability_measures(self, contract):
        # sap-erp down 10 h (0.98654...): the 10 % rule; mes-asia down 8 h (0.9545...): 3 %
        down = [
            outage(start="2026-03-10T00:00:00Z", end="2026-03-10T10:00:00Z"),
            outage("mes-asia", "2026-03-31T09:00:00+08:00", None),
        ]
        _, report = measure(contract, down)
        credits = report["credits"]
        assert credits["applied"] == [
            {"measure": "erp-availability", "percent": 10},
            {"measure": "mes-availability", "percent": 3},
        ]
        assert (credits["total_percent"], credits["amount"]) == (13, "15600.00")

    def test_a_week_has_the_measure_and_no_credits(self, contract):
        found, report = measure(contract, [outage()], label="2026-W11")
        assert (found["denominator"], downtime(found)) == (7 * 24 * HOUR, HOUR)
        assert "credits" not in report

    def test_drill_down_lists_the_outages_counted(self, contract):
        from servicepact.sla.report import report_details

        records = [
            outage(start="2026-03-08T00:00:00Z", end="2026-03-08T05:00:00Z", planned=True, ref="CHG-7"),
            outage(start="2026-02-28T22:00:00Z", end="2026-03-01T01:00:00Z", ref="GLX-1"),
            outage("sso"),
        ]
        period = parse_period("2026-03", contract.reporting_timezone)
        details = report_details(contract, NO_EVENTS, period, outages=outages_of(contract, *records))
        counted = details["erp-availability"]["availability"]["outages"]
        assert [(o["ref"], o["service_time_s"], o["maintenance_s"], o["downtime_s"]) for o in counted] == [
            ("GLX-1", 2 * HOUR, 0, 2 * HOUR),
            ("CHG-7", 5 * HOUR, 4 * HOUR, HOUR),
        ]
        assert counted[0]["counted_from"] == "2026-02-28T23:00:00Z"

    def test_a_report_without_the_outage_log_is_refused(self, contract):
        period = parse_period("2026-03", contract.reporting_timezone)
        with pytest.raises(ReportError, match="has availability measures; give the outage log"):
            build_report(contract, b"", NO_EVENTS, period)


class TestCommand:
    def run(self, capsys, *arguments):
        code = report_command.main(list(arguments))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    def test_report_with_outages_and_verify(self, tmp_path, capsys):
        events, log = tmp_path / "events.jsonl", tmp_path / "outages.jsonl"
        events.write_text("")
        log.write_text(json.dumps(outage(start="2026-03-10T10:00:00Z", end="2026-03-10T12:00:00Z")) + "\n")
        common = ["--contract", str(AVAILABILITY_PATH), "--events", str(events), "--outages", str(log)]
        code, out, err = self.run(capsys, *common, "--period", "2026-03")
        assert (code, err) == (0, "")
        report = json.loads(out)
        assert report["measures"][3]["value"] == 0.997308  # 741 / 743 = 0.99730821...
        assert len(report["digest"]["outages_sha256"]) == 64
        saved = tmp_path / "report.json"
        saved.write_text(out)
        assert self.run(capsys, "verify", str(saved), *common)[:2] == (0, "MATCH\n")
        log.write_text(json.dumps(outage(start="2026-03-10T10:00:00Z", end="2026-03-10T12:00:01Z")) + "\n")
        code, out, _ = self.run(capsys, "verify", str(saved), *common)
        assert code == 1 and "measures[3].numerator" in out and "digest.outages_sha256" in out

    def test_an_availability_contract_without_outages_is_exit_2(self, tmp_path, capsys):
        events = tmp_path / "events.jsonl"
        events.write_text("")
        code, out, err = self.run(
            capsys, "--contract", str(AVAILABILITY_PATH), "--events", str(events), "--period", "2026-03"
        )
        assert (code, out) == (2, "")
        assert err == (
            "--outages: version 2 of contract 'globex-ito' has availability measures; "
            "give the outage log (JSON Lines, SLA-SPEC section 6)\n"
        )

    def test_bad_outage_lines_are_exit_2_with_their_lines(self, tmp_path, capsys):
        events, log = tmp_path / "events.jsonl", tmp_path / "outages.jsonl"
        events.write_text("")
        log.write_text('{"service": "sap-erp", "start": "2026-03-10T10:00:00Z", "planned": false}\n{"service": "x"\n')
        code, out, err = self.run(
            capsys,
            "--contract",
            str(AVAILABILITY_PATH),
            "--events",
            str(events),
            "--period",
            "2026-03",
            "--outages",
            str(log),
        )
        assert (code, out) == (2, "")
        assert err.startswith(f"{log}:2: invalid JSON: ")

    def test_several_versions_report_the_measures_of_the_version_in_force_on_the_last_day(self, tmp_path, capsys):
        v1 = CONTRACTS / "globex-v1.yaml"
        v2 = tmp_path / "v2.yaml"
        v2.write_text(AVAILABILITY_PATH.read_text().replace("from: 2026-01-01", "from: 2026-04-01", 1))
        events, log = tmp_path / "events.jsonl", tmp_path / "outages.jsonl"
        events.write_text("")
        log.write_text(json.dumps(outage(start="2026-04-10T10:00:00Z", end="2026-04-10T11:00:00Z")) + "\n")
        both = ["--contract", str(v1), "--contract", str(v2), "--events", str(events)]
        code, out, _ = self.run(capsys, *both, "--period", "2026-03")
        assert code == 0 and "availability" not in [m["measure"] for m in json.loads(out)["measures"]]
        assert self.run(capsys, *both, "--period", "2026-04")[0] == 2
        code, out, _ = self.run(capsys, *both, "--period", "2026-04", "--outages", str(log))
        report = json.loads(out)
        assert (code, report["version"]) == (0, 2)
        erp = report["measures"][3]
        assert (erp["id"], erp["denominator"] - erp["numerator"]) == ("erp-availability", HOUR)
        assert "contract_versions" in report["digest"] and "outages_sha256" in report["digest"]


def test_a_versions_diff_names_the_maintenance_calendar_and_the_measures_service_and_calendar(contract):
    from servicepact.sla.contract import load_contract_file
    from servicepact.sla.contract_diff import diff_contracts

    changes = [str(change) for change in diff_contracts(load_contract_file(CONTRACTS / "globex-v1.yaml"), contract)]
    assert "metadata: maintenance windows: none -> maintenance-window" in changes
    assert any(
        change.startswith("measures.erp-availability: added (measure availability")
        and change.endswith("service sap-erp, calendar always)")
        for change in changes
    )
