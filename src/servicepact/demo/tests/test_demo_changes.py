"""The demo's CMDB and changes: a few hundred items whose impact reaches the business services, changes
waiting for Globex's approval (two in conflict), one rejected, an emergency change implemented by Globex
operations, and a release deployed to production. (The demo command runs ``record_changes`` after its
history.)"""

from datetime import UTC, datetime

from servicepact.changes.models import Change, ChangeKind, ChangeStatus, Release
from servicepact.changes.planning import conflicts_of
from servicepact.cmdb.models import ConfigurationItem
from servicepact.cmdb.queries import impact_of
from servicepact.demo.changes import record_changes
from servicepact.demo.scenario import load_scenario

END = datetime(2026, 11, 2, 12, tzinfo=UTC)


def test_the_demo_has_a_cmdb_and_changes_in_every_state(db):
    scenario = load_scenario(signed_at=datetime(2025, 12, 18, tzinfo=UTC))
    result = record_changes(scenario, END)
    assert result.items >= 200
    manager = scenario.people["customer-manager"]
    san = ConfigurationItem.objects.get(key="fra-san")
    assert {item.key for item in impact_of([san], manager).services} >= {"sap-erp", "sso"}
    waiting = Change.objects.filter(status=ChangeStatus.AWAITING_APPROVAL)
    assert waiting.count() == 4
    support_package = waiting.get(title__startswith="Apply SAP support package")
    assert conflicts_of(support_package, manager)
    assert Change.objects.filter(status=ChangeStatus.REJECTED).count() == 1
    emergency = Change.objects.get(kind=ChangeKind.EMERGENCY)
    assert emergency.status == ChangeStatus.CLOSED and emergency.implemented_by == scenario.people["operations"]
    release = Release.objects.get()
    assert list(release.deployments.values_list("environment", flat=True)) == ["test", "production"]
