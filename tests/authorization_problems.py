"""The authorization test's records of problem management and major incidents, made once per test on first use:
a problem of SAP ERP raised from the scene's ticket with its known error, an open suggestion holding the ticket,
and an active major incident of SAP ERP declared an hour ago by the provider's team lead."""

from datetime import timedelta

from django.utils import timezone

from servicepact.accounts.models import User
from servicepact.contracts.models import Contract, Service
from servicepact.desk.models import Ticket
from servicepact.history.models import HistoryEntry
from servicepact.major_incidents import actions as majors
from servicepact.major_incidents.models import CommunicationUpdate, MajorIncident, PostIncidentReview
from servicepact.problems import actions as problems
from servicepact.problems.models import (
    KnownError,
    Problem,
    ProblemIncident,
    ProblemSuggestion,
    RecurrenceSettings,
    TicketKnownError,
)

PROBLEM_BODIES = {
    "create_problem": {"contract": "globex-ito", "service": "sap-erp", "title": "Posting keeps failing"},
    "diagnose_problem": {"cause": "configuration", "workaround": "Open the posting period"},
    "link_problem_incidents": {"incidents": ["INC9999999"]},
    "publish_known_error": {"symptoms": "F5 201 on posting", "workaround": "Open the posting period"},
    "close_problem": {"closure": "Vendor patch applied"},
    "link_problem_change": {"change": "CHG9999999"},
    "link_problem_items": {"items": ["sap-prod-db"]},
    "raise_problem_suggestion": {"title": "Posting keeps failing"},
    "dismiss_problem_suggestion": {"reason": "A planned change"},
    "set_problem_recurrence": {"threshold": 4, "window_days": 10},
    "add_major_incident_services": {"services": ["sso"]},
    "link_major_incident_incidents": {"incidents": ["INC9999999"]},
    "link_ticket_known_error": {"known_error": 0},
    "declare_major_incident": {"contract": "globex-ito", "title": "SAP ERP unavailable", "services": ["sap-erp"]},
    "post_major_incident_update": {"text": "Failover in progress."},
    "resolve_major_incident": {"resolution": "Failed over to the standby"},
    "review_major_incident": {"timeline": "09:12 Alerts", "cause": "Disk full", "actions": "Alert at 80 %"},
}


def problem_values() -> dict[str, int]:
    """The URL values of the records, made on first use."""
    problem = Problem.objects.order_by("pk").first()
    if problem is None:
        resolver = User.objects.get(email="resolver@example.test")
        contract = Contract.objects.get(slug="globex-ito")
        ticket = Ticket.objects.filter(contract=contract).order_by("pk").first()
        problem = problems.raise_problem(
            actor=resolver, contract=contract, title="SAP posting period lock", incidents=[ticket]
        )
        problems.publish_known_error(
            problem, actor=resolver, symptoms="F5 201 on posting", workaround="Open the posting period"
        )
        now = timezone.now()
        suggestion = ProblemSuggestion.objects.create(
            contract=contract,
            service=ticket.service,
            category=ticket.category,
            incident_count=3,
            threshold=3,
            window_days=14,
            first_at=now,
            last_at=now,
            found_at=now,
        )
        suggestion.tickets.set([ticket])
        majors.declare(
            actor=User.objects.get(email="team-lead@example.test"),
            contract=contract,
            title="SAP ERP unavailable",
            services=[Service.objects.get(contract=contract, key="sap-erp")],
            started_at=now - timedelta(hours=1),
            incidents=[ticket],
        )
    return {
        "problem_id": problem.pk,
        "known_error_id": KnownError.objects.order_by("pk").values_list("pk", flat=True).first(),
        "suggestion_id": ProblemSuggestion.objects.order_by("pk").values_list("pk", flat=True).first(),
        "major_id": MajorIncident.objects.order_by("pk").values_list("pk", flat=True).first(),
    }


def problem_rows() -> list:
    """Everything a refused request must leave alone."""
    return [
        list(
            Problem.objects.order_by("pk").values_list(
                "pk", "status", "cause", "workaround", "closed_at", "fixing_change_id"
            )
        ),
        list(ProblemIncident.objects.order_by("pk").values_list("pk", "problem_id", "ticket_id")),
        list(Problem.items.through.objects.order_by("pk").values_list("problem_id", "configurationitem_id")),
        list(KnownError.objects.order_by("pk").values_list("pk", "symptoms", "active")),
        list(TicketKnownError.objects.order_by("pk").values_list("pk", flat=True)),
        list(ProblemSuggestion.objects.order_by("pk").values_list("pk", "status")),
        list(RecurrenceSettings.objects.order_by("pk").values_list("pk", "threshold", "window_days")),
        list(MajorIncident.objects.order_by("pk").values_list("pk", "status", "next_update_due")),
        list(CommunicationUpdate.objects.order_by("pk").values_list("pk", flat=True)),
        list(PostIncidentReview.objects.order_by("pk").values_list("pk", "cause")),
        HistoryEntry.objects.count(),
    ]
