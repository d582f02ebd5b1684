"""The demonstration's problems and major incidents: the incidents that kept coming back became problems
(their cause and workaround found, two of them published as known errors, one closed), the contract's
threshold finds what still recurs, and a past outage of SAP ERP was run as a major incident with its updates
to Globex's managers and its review."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from servicepact.desk.models import Ticket
from servicepact.desk.models.choices import Kind
from servicepact.major_incidents import actions as majors
from servicepact.major_incidents.models import MajorIncident
from servicepact.notify.actions import silenced
from servicepact.problems import actions as problems
from servicepact.problems.models import ProblemSuggestion

# What the provider found for incidents that kept coming back, by (service, category): title, kind of cause,
# root cause, workaround, the known error's keywords (none: no known error) and the closure (none: still open).
FINDINGS = {
    ("sap-erp", "application-error"): (
        "Purchase orders dump on release since the support package",
        "software",
        "The support package changed the release strategy user exit; it reads a field that is empty for "
        "framework orders.",
        "Release framework orders from ME28 instead of ME29N until the correction is transported.",
        "short dump, releasing, MIGO, M8 082",
        "",
    ),
    ("sso", "password-reset"): (
        "Accounts lock after the quarterly password change",
        "configuration",
        "Mobile mail clients keep retrying the old password and lock the directory account within minutes.",
        "Remove the mail account from the phone, unlock the account, then add the account again.",
        "locked out, password",
        "",
    ),
    ("mes-asia", "application-error"): (
        "MES interface to SAP stops after the nightly restart",
        "third_party",
        "The MES vendor's interface service starts before the message queue and never reconnects.",
        "Restart the interface service from the MES console once the queue is up.",
        "",
        "The vendor's patch makes the interface reconnect; installed in every plant.",
    ),
}


@dataclass
class ProblemsResult:
    problems: int
    known_errors: int
    suggestions: int
    major_incidents: int

    @property
    def summary(self) -> str:
        return (
            f"demo: raised {self.problems} problems from recurring incidents ({self.known_errors} known errors), "
            f"{self.suggestions} suggestions, {self.major_incidents} reviewed major incident."
        )


def record_problems(scenario, end: datetime) -> ProblemsResult:
    """Problems from the history's most frequent (service, category) groups of incidents, the contract's
    suggestions at ``end``, and a reviewed major incident three weeks before ``end``."""
    people = scenario.people
    contract = scenario.contract
    incidents = Ticket.objects.filter(contract=contract, kind=Kind.INCIDENT, created_at__lt=end - timedelta(days=30))
    raised = known = 0
    with silenced():
        for (service, category), finding in FINDINGS.items():
            title, cause, root_cause, workaround, keywords, closure = finding
            group = incidents.filter(service=scenario.services[service], category=category).order_by("-created_at")
            tickets = list(group[:8])
            if len(tickets) < 3:
                continue
            at = tickets[0].created_at + timedelta(hours=4)
            problem = problems.raise_problem(
                actor=people["team-lead"], contract=contract, title=title, incidents=tickets, at=at
            )
            problems.diagnose(
                problem,
                actor=people["team-lead"],
                cause=cause,
                root_cause=root_cause,
                workaround=workaround,
                at=at + timedelta(days=2),
            )
            raised += 1
            if keywords:
                problems.publish_known_error(
                    problem,
                    actor=people["team-lead"],
                    symptoms=tickets[0].title,
                    keywords=keywords,
                    at=at + timedelta(days=2, hours=1),
                )
                known += 1
            if closure:
                problems.close_problem(problem, actor=people["team-lead"], closure=closure, at=at + timedelta(days=9))
        problems.set_recurrence(actor=people["administrator"], contract=contract, threshold=4, window_days=21)
        problems.refresh_suggestions(contract=contract, at=end)
        # The history's long outage was already run as a major incident (``outages.record_outages``); a history
        # too short to hold one still shows a past major incident.
        if not MajorIncident.objects.filter(contract=contract).exists():
            run_major_incident(scenario, end - timedelta(days=21))
    suggestions = ProblemSuggestion.objects.filter(contract=contract).count()
    return ProblemsResult(raised, known, suggestions, MajorIncident.objects.filter(contract=contract).count())


def run_major_incident(scenario, started: datetime, restored: datetime | None = None) -> MajorIncident:
    """SAP ERP's outage from ``started`` to ``restored`` run as a major incident: declared, updated, resolved
    (which records the outage of its services for the availability figures) and reviewed. Without
    ``restored``, an outage of an hour and a half on the morning of ``started``'s day."""
    with silenced():
        return _major_incident(scenario, started, restored)


def _major_incident(scenario, started: datetime, restored: datetime | None) -> MajorIncident:
    people, contract, services = scenario.people, scenario.contract, scenario.services
    lead = people["team-lead"]
    if restored is None:
        started = started.replace(hour=7, minute=42, second=0, microsecond=0)
        restored = started + timedelta(minutes=18 + 98)
    declared = started + timedelta(minutes=18)
    linked = list(
        Ticket.objects.filter(
            contract=contract,
            service=services["sap-erp"],
            created_at__gte=started,
            created_at__lt=restored,
        )[:5]
    )
    major = majors.declare(
        actor=lead,
        contract=contract,
        title="SAP ERP unavailable in all plants",
        services=[services["sap-erp"]],
        started_at=started,
        summary="Nobody can log on to SAP ERP; postings and goods movements stop in every plant.",
        incidents=linked,
        update_interval_minutes=30,
        at=declared,
    )
    majors.add_services(major, actor=lead, services=[services["sso"]], at=declared + timedelta(minutes=10))
    for at, text in [
        (
            declared + timedelta(minutes=12),
            "We are investigating a failure of the SAP database. Log-ons fail; single sign-on also times out.",
        ),
        (
            declared + timedelta(minutes=42),
            "The primary database host lost its storage path. We are failing over to the standby database.",
        ),
        (
            restored - timedelta(minutes=23),
            "The standby database is open. Application servers are restarting; first plants can log on again.",
        ),
    ]:
        majors.post_update(major, actor=lead, text=text, at=at)
    majors.resolve(
        major,
        actor=lead,
        resolution="SAP ERP runs on the standby database; every plant can post again.",
        ended_at=restored,
        at=restored + timedelta(minutes=5),
    )
    majors.post_update(
        major,
        actor=lead,
        text=f"Service restored at {restored:%Y-%m-%d %H:%M} UTC. A post-incident review follows within five working "
        "days.",
        at=restored + timedelta(minutes=6),
    )
    majors.write_review(
        major,
        actor=people["administrator"],
        timeline="\n".join(
            [
                f"{started:%Y-%m-%d %H:%M} UTC Storage path of the primary database host fails; log-ons start to fail",
                f"{declared:%Y-%m-%d %H:%M} UTC Major incident declared; Globex's managers informed",
                f"{declared + timedelta(minutes=40):%Y-%m-%d %H:%M} UTC Failover to the standby database decided",
                f"{restored:%Y-%m-%d %H:%M} UTC All plants can log on and post again",
            ]
        ),
        cause="A firmware defect in the storage array's controller dropped both paths to the primary database host.",
        actions="Apply the controller firmware fix in the next maintenance window\n"
        "Alert on a single lost storage path, not only on both\n"
        "Rehearse the database failover every quarter",
        at=restored + timedelta(days=3),
    )
    return major
