"""Approval rules per risk, implementation only after approval by the implementers, freeze periods, and
conflict detection on the same or dependent items."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from servicepact.changes import actions, planning
from servicepact.changes.models import ChangeStatus
from servicepact.history.models import HistoryEntry
from servicepact.problems import actions as problems
from servicepact.refusals import ActionRefused

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 15, 20, 0, tzinfo=UTC)


def raise_(world, items, keys, *, kind="normal", start=WHEN, hours=2, template=None):
    return actions.raise_change(
        world.contract,
        actor=world.people["agent"],
        kind=kind,
        title=f"Change {'+'.join(keys)}",
        items=[items[key] for key in keys],
        planned_start=start,
        planned_end=start + timedelta(hours=hours),
        implementation_plan="Do it.",
        backout_plan="Undo it.",
        template=template,
    )


def test_risk_comes_from_the_tiers_of_the_services_affected(world, items, cab):
    assert raise_(world, items, ["san-1"]).risk == "high"  # SAP ERP, tier 1, needs the array
    assert raise_(world, items, ["laptop-1"]).risk == "low"
    change = raise_(world, items, ["sso-srv"])
    assert {service["key"] for service in change.impact["services"]} == {"sso", "sap-erp"}


def test_high_risk_needs_all_of_the_board(world, items, cab):
    change = actions.submit(raise_(world, items, ["sap-db"]), actor=world.people["agent"])
    assert (change.status, change.rule, sorted(change.board)) == ("awaiting_approval", "all", sorted(u.pk for u in cab))
    change = actions.decide(change, actor=cab[0], approve=True, comment="Fine by finance.")
    assert change.status == ChangeStatus.AWAITING_APPROVAL
    change = actions.decide(change, actor=cab[1], approve=True, comment="Fine by operations.")
    assert change.status == ChangeStatus.APPROVED


def test_low_risk_needs_any_one_and_one_rejection_rejects(world, items, cab):
    low = actions.submit(raise_(world, items, ["laptop-1"]), actor=world.people["agent"])
    assert low.rule == "any"
    assert actions.decide(low, actor=cab[1], approve=True, comment="ok").status == ChangeStatus.APPROVED
    high = actions.submit(raise_(world, items, ["sap-db"], start=WHEN + timedelta(days=1)), actor=world.people["agent"])
    high = actions.decide(high, actor=cab[0], approve=True, comment="ok")
    high = actions.decide(high, actor=cab[1], approve=False, comment="Not during the audit.")
    assert high.status == ChangeStatus.REJECTED


def test_only_the_board_decides_once_each_with_a_comment(world, items, cab):
    change = actions.submit(raise_(world, items, ["sap-db"]), actor=world.people["agent"])
    with pytest.raises(PermissionDenied):
        actions.decide(change, actor=world.people["administrator"], approve=True, comment="me too")
    with pytest.raises(ActionRefused) as refused:
        actions.decide(change, actor=cab[0], approve=True, comment="  ")
    assert "comment" in refused.value.errors
    actions.decide(change, actor=cab[0], approve=True, comment="ok")
    with pytest.raises(ActionRefused) as refused:
        actions.decide(change, actor=cab[0], approve=True, comment="again")
    assert refused.value.status == 409


def test_without_a_board_in_the_contract_the_customer_managers_decide(world, items):
    change = actions.submit(raise_(world, items, ["laptop-1"]), actor=world.people["agent"])
    assert change.board == [world.people["customer-manager"].pk]


def test_only_the_named_implementers_implement_and_only_after_approval(world, items, cab):
    change = actions.submit(raise_(world, items, ["laptop-1"]), actor=world.people["agent"])
    resolver = world.people["resolver"]  # application support China: the implementers
    with pytest.raises(ActionRefused) as refused:
        actions.start(change, actor=resolver)
    assert refused.value.status == 409
    change = actions.decide(change, actor=cab[0], approve=True, comment="ok")
    for outsider in (world.people["agent"], world.people["customer-manager"], world.people["security-resolver"]):
        with pytest.raises(PermissionDenied):
            actions.start(change, actor=outsider)
    change = actions.start(change, actor=resolver)
    change = actions.finish(change, actor=resolver, outcome="successful", text="Done in 20 minutes.")
    change = actions.review(change, actor=world.people["agent"], text="No incidents followed.")
    assert change.status == ChangeStatus.CLOSED
    types = list(HistoryEntry.objects.of(change).values_list("type", flat=True))
    assert types == ["raised", "submitted", "approval", "approved", "started", "implemented", "reviewed"]


def test_a_freeze_refuses_normal_changes_but_not_emergencies(world, items, cab):
    in_freeze = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
    with pytest.raises(ActionRefused) as refused:
        actions.submit(raise_(world, items, ["laptop-1"], start=in_freeze), actor=world.people["agent"])
    assert refused.value.status == 409 and "New year" in refused.value.message
    emergency = actions.submit(
        raise_(world, items, ["sap-db"], kind="emergency", start=in_freeze), actor=world.people["agent"]
    )
    assert emergency.in_freeze and emergency.rule == "any"
    assert actions.decide(emergency, actor=cab[1], approve=True, comment="Go").status == ChangeStatus.APPROVED


def test_a_freeze_is_read_in_the_reporting_time_zone_and_per_service(world, items, cab):
    # 23:30 UTC on 31 December is 00:30 on 1 January in Berlin: frozen.
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    with pytest.raises(ActionRefused):
        actions.submit(raise_(world, items, ["laptop-1"], start=late, hours=1), actor=world.people["agent"])
    quarter = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)
    # The quarter close freezes SAP ERP only: a laptop may change, the SAP database may not.
    assert actions.submit(raise_(world, items, ["laptop-1"], start=quarter), actor=world.people["agent"])
    with pytest.raises(ActionRefused):
        actions.submit(raise_(world, items, ["sap-db"], start=quarter), actor=world.people["agent"])


def test_conflicts_on_the_same_or_dependent_items_in_overlapping_windows(world, items, cab):
    mine = raise_(world, items, ["sap-app"])
    same = raise_(world, items, ["sap-app", "laptop-1"], start=WHEN + timedelta(hours=1))
    dependent = raise_(world, items, ["san-1"], start=WHEN - timedelta(hours=1))
    raise_(world, items, ["san-1"], start=WHEN + timedelta(hours=2))  # starts as mine ends: no overlap
    raise_(world, items, ["laptop-1"])  # unrelated
    found = {(c.change.pk, c.reason) for c in planning.conflicts_of(mine, world.people["agent"])}
    assert found == {(same.pk, "same item"), (dependent.pk, "dependent item")}


def test_a_standard_change_is_approved_at_once(world, items, cab, template):
    change = raise_(world, items, ["sso-srv"], kind="standard", template=template)
    assert change.implementation_plan == "Do it."
    change = actions.submit(change, actor=world.people["agent"])
    assert change.status == ChangeStatus.APPROVED and change.board == []
    with pytest.raises(ActionRefused):
        raise_(world, items, ["sso-srv"], kind="standard")


def test_releases_deploy_to_production_after_a_test_environment(world, items, cab):
    release = actions.create_release(world.contract, actor=world.people["agent"], name="SAP", version="2026.12")
    actions.add_to_release(release, raise_(world, items, ["sap-app"]), actor=world.people["agent"])
    with pytest.raises(ActionRefused):
        actions.deploy(release, actor=world.people["agent"], environment="production")
    actions.deploy(release, actor=world.people["agent"], environment="test")
    actions.deploy(release, actor=world.people["agent"], environment="production", notes="Smooth.")
    assert list(release.deployments.values_list("environment", flat=True)) == ["test", "production"]


def test_the_calendar_shows_the_freezes_and_the_changes(world, items, cab, client):
    raise_(world, items, ["laptop-1"], start=datetime(2026, 12, 30, 10, 0, tzinfo=UTC))
    client.force_login(world.people["agent"])
    page = client.get("/changes/calendar/?view=month&date=2026-12-15").content.decode()
    assert page.count("New year") == 3  # 1 to 3 January, shown at the month's end
    assert "Change laptop-1" in page


def test_a_change_shows_the_problems_it_fixes_and_closes_them(world, items, cab, client):
    problem = problems.raise_problem(
        actor=world.people["resolver"],
        contract=world.contract,
        title="HANA log full",
        service=world.services["sap-erp"],
    )
    change = actions.submit(raise_(world, items, ["laptop-1"]), actor=world.people["agent"])
    problems.link_fixing_change(problem, actor=world.people["resolver"], change=change)
    client.force_login(world.people["agent"])
    assert problem.number in client.get(f"/changes/{change.pk}/").content.decode()
    assert client.get(f"/api/changes/{change.pk}").json()["problems"] == [problem.number]
    change = actions.decide(change, actor=cab[0], approve=True, comment="ok")
    change = actions.start(change, actor=world.people["resolver"])
    actions.finish(change, actor=world.people["resolver"], outcome="successful")
    problem.refresh_from_db()
    assert problem.status == "closed" and problem.fixed_by == change.number
