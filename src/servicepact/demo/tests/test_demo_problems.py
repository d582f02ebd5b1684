"""The demo's problems and major incident: the incidents that recurred became problems with their causes, two
known errors and one closed problem, the contract's threshold suggests what still recurs, and a past outage
of SAP ERP was run as a major incident with its updates and review. (The demo command runs the same
``record_problems`` after its history.)"""

from datetime import UTC, datetime, timedelta

from servicepact.demo.problems import record_problems
from servicepact.demo.scenario import load_scenario
from servicepact.desk import actions as desk
from servicepact.major_incidents.models import MajorIncident, MajorStatus
from servicepact.notify.models import Outbox
from servicepact.problems.models import KnownError, Problem, ProblemStatus, ProblemSuggestion

END = datetime(2026, 3, 31, 12, tzinfo=UTC)


def test_recurring_incidents_became_problems_and_a_major_incident_was_reviewed(db):
    scenario = load_scenario(signed_at=datetime(2025, 12, 18, tzinfo=UTC))
    groups = [("sap-erp", "application-error"), ("sso", "password-reset"), ("mes-asia", "application-error")]
    for n in range(4):
        for service, category in groups:
            desk.create_ticket(
                actor=scenario.people["requester"],
                contract=scenario.contract,
                service=scenario.services[service],
                title=f"Recurring {service} {n}",
                impact="medium",
                urgency="medium",
                category=category,
                at=datetime(2026, 2, 2 + n, 9, tzinfo=UTC),
            )
    for n in range(4):  # recent, beyond the demo's threshold of 4 in 21 days
        desk.create_ticket(
            actor=scenario.people["requester"],
            contract=scenario.contract,
            service=scenario.services["hr-portal"],
            title=f"Leave request stuck {n}",
            impact="low",
            urgency="low",
            category="application-error",
            at=END - timedelta(days=n + 1),
        )
    result = record_problems(scenario, END)
    assert (result.problems, result.known_errors, result.suggestions, result.major_incidents) == (3, 2, 1, 1)
    assert Problem.objects.filter(status=ProblemStatus.CLOSED).count() == 1
    assert KnownError.objects.filter(active=True).count() == 2
    assert ProblemSuggestion.objects.get().service.key == "hr-portal"
    major = MajorIncident.objects.get()
    assert major.status == MajorStatus.REVIEWED and major.updates.count() == 4
    assert major.review.action_rows[0].startswith("Apply the controller firmware fix")
    assert not Outbox.objects.filter(key__startswith="major-incident-update").exists()  # the past is not news
    assert "raised 3 problems" in result.summary
