"""Major incidents: declared for tier-1 outages by the provider's leads, updates kept in the communication log
and mailed to the customer's managers through the outbox, resolution, the post-incident review, the period
query of the service report, and the history of each."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from servicepact.desk import actions as desk
from servicepact.history.models import HistoryEntry
from servicepact.major_incidents import actions
from servicepact.major_incidents.models import MajorIncident, MajorStatus
from servicepact.major_incidents.queries import in_period
from servicepact.notify.models import Outbox
from servicepact.refusals import ActionRefused
from servicepact.runtime.periodic import periodic_jobs


def history_types(record) -> list[str]:
    return list(HistoryEntry.objects.of(record).values_list("type", flat=True))


@pytest.fixture
def ticket(world):
    return desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="SAP is down",
        impact="high",
        urgency="high",
    )


@pytest.fixture
def major(world, ticket):
    return actions.declare(
        actor=world.people["team-lead"],
        contract=world.contract,
        title="SAP ERP unavailable",
        services=[world.services["sap-erp"], world.services["hr-portal"]],
        started_at=timezone.now() - timedelta(minutes=30),
        incidents=[ticket],
        update_interval_minutes=30,
    )


def test_declaring_names_the_services_and_incidents(world, major, ticket):
    assert major.status == MajorStatus.ACTIVE
    assert sorted(major.services.values_list("key", flat=True)) == ["hr-portal", "sap-erp"]
    assert list(major.incidents.all()) == [ticket]
    assert major.next_update_due == major.declared_at + timedelta(minutes=30)
    assert history_types(major) == ["declared"]


def test_a_major_incident_needs_a_tier_1_service(world):
    with pytest.raises(ActionRefused) as refused:
        actions.declare(
            actor=world.people["administrator"],
            contract=world.contract,
            title="HR portal slow",
            services=[world.services["hr-portal"], world.services["mes-asia"]],
        )
    assert "tier-1" in refused.value.errors["services"][0]
    with pytest.raises(ActionRefused) as refused:
        actions.declare(actor=world.people["administrator"], contract=world.contract, title="", services=[])
    assert set(refused.value.errors) == {"title", "services"}
    assert not MajorIncident.objects.exists()


@pytest.mark.parametrize("person", ["agent", "resolver", "analyst", "customer-manager", "requester"])
def test_only_the_providers_team_leads_and_administrators_declare(world, person):
    with pytest.raises(PermissionDenied):
        actions.declare(
            actor=world.people[person], contract=world.contract, title="x", services=[world.services["sso"]]
        )


def test_an_update_is_logged_and_mailed_to_the_customers_managers(world, major):
    update = actions.post_update(major, actor=world.people["team-lead"], text="Database failover in progress.")
    assert update.recipients == ["customer-manager@example.test"]
    message = Outbox.objects.get(key__startswith=f"major-incident-update:{update.pk}:")
    assert message.recipients == ["customer-manager@example.test"]
    assert major.number in message.subject and "Database failover in progress." in message.body
    assert "Next update by" in message.body
    major.refresh_from_db()
    assert major.next_update_due == update.at + timedelta(minutes=30)
    assert history_types(major) == ["declared", "update_sent"]
    with pytest.raises(ActionRefused) as refused:
        actions.post_update(major, actor=world.people["team-lead"], text=" ", next_update_minutes=1)
    assert set(refused.value.errors) == {"text", "next_update_minutes"}
    with pytest.raises(PermissionDenied):
        actions.post_update(major, actor=world.people["customer-manager"], text="Hello")


def test_resolving_then_the_review(world, major):
    with pytest.raises(ActionRefused):
        actions.write_review(major, actor=world.people["team-lead"], timeline="x", cause="y", actions="z")
    with pytest.raises(ActionRefused) as refused:
        actions.resolve(major, actor=world.people["team-lead"], resolution="")
    assert "resolution" in refused.value.errors
    resolved = actions.resolve(major, actor=world.people["team-lead"], resolution="Failed over to the standby")
    assert resolved.status == MajorStatus.RESOLVED and resolved.next_update_due is None
    with pytest.raises(ActionRefused):
        actions.resolve(resolved, actor=world.people["team-lead"], resolution="again")
    with pytest.raises(ActionRefused) as refused:
        actions.write_review(resolved, actor=world.people["team-lead"], timeline="", cause="", actions="")
    assert set(refused.value.errors) == {"timeline", "cause", "actions"}
    review = actions.write_review(
        resolved,
        actor=world.people["administrator"],
        timeline="09:12 Monitoring alerts\n09:20 Major incident declared\n10:05 Standby promoted",
        cause="The primary database ran out of disk.",
        actions="- Alert at 80 % disk\n- Rehearse the failover each quarter",
    )
    assert review.timeline_rows[0] == ("09:12", "Monitoring alerts")
    assert review.action_rows == ["Alert at 80 % disk", "Rehearse the failover each quarter"]
    assert MajorIncident.objects.get(pk=major.pk).status == MajorStatus.REVIEWED
    types = history_types(major)
    assert (types[:2], types[-1]) == (["declared", "resolved"], "reviewed")


def test_the_service_report_lists_the_major_incidents_of_its_period(world, major):
    now = timezone.now()
    rows = MajorIncident.objects.all()
    assert list(in_period(rows, now - timedelta(days=1), now + timedelta(days=1))) == [major]
    assert list(in_period(rows, now - timedelta(days=9), now - timedelta(days=8))) == []
    actions.resolve(major, actor=world.people["team-lead"], resolution="Back")
    assert list(in_period(rows, now + timedelta(hours=1), now + timedelta(days=1))) == []


def test_who_reads_major_incidents(world, major):
    readers = {name for name, user in world.people.items() if MajorIncident.objects.visible_to(user).exists()}
    assert readers == {"customer-manager", "agent", "resolver", "team-lead", "analyst", "administrator"}


def test_resolving_records_the_outage_of_each_affected_service_when_availability_is_installed(world, major):
    resolved = actions.resolve(major, actor=world.people["team-lead"], resolution="Back")
    if not apps.is_installed("servicepact.availability"):
        assert resolved.outage_reference == ""
        return
    outages = apps.get_model("availability", "Outage").objects.filter(reference=major.number)
    assert sorted(outages.values_list("service__key", "planned")) == [("hr-portal", False), ("sap-erp", False)]
    assert all(outage.start == major.started_at.replace(microsecond=0) for outage in outages)
    assert history_types(major)[-1] == "outage_recorded"


def test_an_overdue_update_reminds_the_declarer_once(world, major):
    due = major.next_update_due
    assert actions.remind_overdue_updates(now=due - timedelta(minutes=1)) == 0
    assert actions.remind_overdue_updates(now=due + timedelta(minutes=1)) == 1
    assert actions.remind_overdue_updates(now=due + timedelta(minutes=6)) == 0  # once per due time
    reminder = Outbox.objects.get(key__startswith="major-incident-reminder:")
    assert reminder.recipients == ["team-lead@example.test"] and "next update" in reminder.subject
    update = actions.post_update(major, actor=world.people["team-lead"], text="Still failing over.")
    assert actions.remind_overdue_updates(now=update.next_update_at + timedelta(minutes=1)) == 1
    actions.resolve(major, actor=world.people["team-lead"], resolution="Back")
    assert actions.remind_overdue_updates(now=update.next_update_at + timedelta(days=1)) == 0


def test_the_reminders_run_every_five_minutes():
    (job,) = [job for job in periodic_jobs() if job.name == "major-incident-reminders"]
    assert (job.task_path, job.interval_s) == ("servicepact.major_incidents.tasks.remind_updates", 300)
