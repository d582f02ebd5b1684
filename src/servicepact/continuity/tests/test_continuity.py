"""Service continuity: plans per service with their objectives, tests, the tier-1 coverage of a year, the
access layer, the pages and the API.

Globex's contract (version 1) lists SAP ERP and single sign-on at tier 1, MES Asia at tier 2 and the HR
portal at tier 3; its reporting zone is Europe/Berlin.
"""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from servicepact.continuity import actions
from servicepact.continuity.models import ContinuityPlan, PlanTest
from servicepact.continuity.queries import contract_year, coverage
from servicepact.contracts.models import Service
from servicepact.history.models import HistoryEntry
from servicepact.refusals import ActionRefused

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)


def plan_for(world, key="sap-erp", **changes) -> ContinuityPlan:
    values = {
        "actor": world.people["team-lead"],
        "contract": world.contract,
        "service": world.services[key],
        "title": f"Recover {key} in the second data centre",
        "now": NOW,
    }
    return actions.write_plan(**(values | changes))


def exercised(plan, world, on: date, result="passed", **more):
    return actions.record_test(plan, actor=world.people["administrator"], tested_on=on, result=result, now=NOW, **more)


def rows_of(world, year=2026):
    services = Service.objects.filter(contract=world.contract)
    return {row.service.key: row for row in coverage(world.contract, services, ContinuityPlan.objects.all(), year)}


class TestPlans:
    def test_objectives_come_from_the_tier_unless_the_plan_sets_them(self, world):
        erp = plan_for(world)
        hr = plan_for(world, "hr-portal", rto_minutes=90)
        assert (erp.objectives.rto_minutes, erp.objectives.rpo_minutes) == (240, 60)
        assert (hr.objectives.rto_minutes, hr.objectives.rpo_minutes) == (90, 1440)

    def test_writing_revising_and_testing_extend_the_plans_history(self, world):
        plan = plan_for(world)
        actions.revise_plan(plan, actor=world.people["team-lead"], title=plan.title, rto_minutes=120, now=NOW)
        exercised(plan, world, date(2026, 5, 20), recovery_minutes=95, notes="Fail-over to Frankfurt")
        entries = list(HistoryEntry.objects.of(plan).order_by("seq"))
        assert [entry.type for entry in entries] == ["written", "revised", "tested"]
        assert entries[1].data["changes"] == {"rto_minutes": {"from": None, "to": 120}}
        assert entries[2].data["result"] == "passed"

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"title": "  "}, "title", "This field is required."),
            ({"rto_minutes": 10081}, "rto_minutes", "Give a number of minutes between 0 and 10080."),
            ({"service": None}, "service", "This field is required."),
        ],
    )
    def test_bad_plans_are_refused_by_field(self, world, changes, field, message):
        with pytest.raises(ActionRefused) as refused:
            plan_for(world, **changes)
        assert refused.value.errors[field] == [message]
        assert not ContinuityPlan.objects.exists() and not HistoryEntry.objects.exists()

    def test_one_plan_per_service(self, world):
        plan_for(world)
        with pytest.raises(ActionRefused) as refused:
            plan_for(world)
        assert refused.value.errors["service"] == ["This service has a plan already; revise it."]

    def test_a_test_in_the_future_or_with_an_unknown_result_is_refused(self, world):
        plan = plan_for(world)
        with pytest.raises(ActionRefused) as refused:
            exercised(plan, world, date(2026, 6, 2), result="great")
        assert set(refused.value.errors) == {"tested_on", "result"}
        assert not PlanTest.objects.exists()

    @pytest.mark.parametrize("person", ["agent", "resolver", "customer-manager", "analyst"])
    def test_only_the_providers_team_leads_and_administrators_write_plans(self, world, person):
        with pytest.raises(PermissionDenied):
            plan_for(world, actor=world.people[person])


class TestCoverage:
    def test_tier_1_services_without_a_plan_passed_this_year_are_gaps(self, world):
        erp, sso, mes = plan_for(world), plan_for(world, "sso"), plan_for(world, "mes-asia")
        exercised(erp, world, date(2026, 3, 1))
        exercised(sso, world, date(2025, 11, 1))  # last year's
        exercised(sso, world, date(2026, 4, 1), result="failed")
        exercised(mes, world, date(2025, 1, 1))
        rows = rows_of(world)
        assert {key for key, row in rows.items() if row.is_gap} == {"sso"}
        assert rows["sso"].last_test.result == "failed" and rows["sso"].passed_this_year is None
        assert rows["sap-erp"].covered and not rows["mes-asia"].is_gap and rows["hr-portal"].plan is None
        assert list(rows) == ["sap-erp", "sso", "mes-asia", "hr-portal"]
        assert {key for key, row in rows_of(world, 2025).items() if row.is_gap} == {"sap-erp"}

    def test_the_year_is_the_contracts_reporting_zones(self, world):
        assert contract_year(world.contract, datetime(2025, 12, 31, 23, 30, tzinfo=UTC)) == 2026  # Berlin


class TestAccessAndPages:
    def client_of(self, world, person) -> Client:
        client = Client()
        client.force_login(world.people[person])
        return client

    def test_both_parties_read_plans(self, world):
        plan = plan_for(world)
        exercised(plan, world, date(2026, 3, 1))
        readers = {name for name, person in world.people.items() if ContinuityPlan.objects.visible_to(person)}
        assert readers == {
            "customer-manager",
            "security-resolver",
            "agent",
            "resolver",
            "team-lead",
            "analyst",
            "administrator",
        }
        assert PlanTest.objects.visible_to(world.people["customer-manager"]).count() == 1
        assert not PlanTest.objects.visible_to(world.people["other-manager"]).exists()

    def test_the_gaps_page_lists_the_untested_tier_1_services(self, world):
        exercised(plan_for(world), world, date(2026, 3, 1))
        page = self.client_of(world, "customer-manager").get(reverse("continuity:gaps"))
        text = page.content.decode()
        assert page.status_code == 200 and 'data-service="sso"' in text and 'data-service="sap-erp"' not in text
        assert self.client_of(world, "requester").get(reverse("continuity:gaps")).status_code == 403

    def test_the_plan_form_refuses_and_writes(self, world):
        client = self.client_of(world, "team-lead")
        url = reverse("continuity:new_plan", args=["globex-ito"])
        service = world.services["sso"].pk
        bad = client.post(url, {"plan-service": service, "plan-title": "SSO", "plan-rto_minutes": "-5"})
        assert bad.status_code == 422 and not ContinuityPlan.objects.exists()
        good = client.post(url, {"plan-service": service, "plan-title": "SSO fail-over", "plan-rpo_minutes": "15"})
        plan = ContinuityPlan.objects.get()
        assert good.status_code == 302 and (plan.rpo_minutes, plan.rto_minutes) == (15, None)

    def test_api_coverage_plan_and_test(self, world):
        lead = self.client_of(world, "team-lead")
        created = lead.post(
            "/api/contracts/globex-ito/continuity/plans",
            {"service": "sap-erp", "title": "SAP ERP recovery"},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        plan_id = created.json()["id"]
        test = lead.post(
            f"/api/continuity/plans/{plan_id}/tests",
            {"tested_on": "2026-01-15", "result": "passed", "recovery_minutes": 200},
            content_type="application/json",
        )
        assert test.status_code == 201 and test.json()["tests"][0]["recovery_minutes"] == 200
        report = self.client_of(world, "customer-manager").get("/api/contracts/globex-ito/continuity").json()
        gaps = [row["service"] for row in report["services"] if row["gap"]]
        year = contract_year(world.contract)
        assert gaps == (["sso"] if year == 2026 else ["sap-erp", "sso"])
