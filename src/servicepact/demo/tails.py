"""Work in hand at the end of the history: a few recent tickets left open in every queue and status.

The random history leaves tickets open too, but which queues hold them depends on the dice and on the
weekday the history ends; these scripted tickets make sure every queue has something to show.
"""

from datetime import datetime

from servicepact.demo import texts
from servicepact.demo.arrivals import Arrival
from servicepact.demo.plans import DESK, MINUTE, TEAM_WORKERS, Plan

# (hours before the end, service, category, impact, urgency, requester, how far the ticket got)
OPEN_WORK = [
    (0.5, "sso", "how-to", "low", "medium", "requester", "new"),
    (3, "sap-erp", "local-it", "low", "low", "requester-plant", "routed"),
    (4, "sso", "access-request", "medium", "medium", "requester", "routed"),
    (5, "sap-erp", "data-correction", "medium", "low", "requester-plant", "routed"),
    (6, "sap-erp", "change-execution", "medium", "medium", "requester", "in_progress"),
    (7, "sap-erp", "erp-master-data", "low", "medium", "requester", "in_progress"),
    (8, "mes-asia", "hardware-onsite", "high", "medium", "requester-asia", "in_progress"),
    (9, "mes-asia", "application-error", "high", "high", "requester-asia", "in_progress"),
    (10, "hr-portal", "application-error", "medium", "medium", "requester-asia", "pending_customer"),
    (11, "sap-erp", "application-error", "high", "medium", "requester", "pending_vendor"),
    (12, "hr-portal", "application-error", "medium", "medium", "requester-asia", "pending_problem"),
]

# The team each scripted ticket reaches, by (service, category), as the demo's routing rules send it.
TEAM_OF = {
    ("sso", "access-request"): "globex-security",
    ("sap-erp", "data-correction"): "globex-data",
    ("sap-erp", "change-execution"): "globex-operations",
    ("sap-erp", "erp-master-data"): "globex-erp",
    ("mes-asia", "hardware-onsite"): "kestrel-onsite",
    ("mes-asia", "application-error"): "app-support-cn",
    ("hr-portal", "application-error"): "app-support-cn",
    ("sap-erp", "application-error"): "app-support-in",
}


def open_work_plans(end: datetime) -> list[Plan]:
    end_s = int(end.timestamp())
    plans = []
    for hours_ago, service, category, impact, urgency, requester, reached in OPEN_WORK:
        created = end_s - int(hours_ago * 3600)
        arrival = Arrival(
            at=created,
            service=service,
            category=category,
            impact=impact,
            urgency=urgency,
            requester=requester,
            title=texts.TITLES[(service, category)][0],
        )
        plan = Plan(arrival)
        plan.add(created, "create", requester)
        if reached != "new":
            _work(plan, created, reached)
        plans.append(plan)
    return plans


def _work(plan: Plan, created: int, reached: str) -> None:
    arrival = plan.arrival
    if arrival.category == "local-it":
        plan.add(created + 10 * MINUTE, "route", DESK)
        return
    plan.add(created + 5 * MINUTE, "reply", DESK, body=texts.FORWARDED)
    plan.add(created + 10 * MINUTE, "route", DESK)
    if reached == "routed":
        return
    holder = TEAM_WORKERS[TEAM_OF[(arrival.service, arrival.category)]][0]
    plan.add(created + 40 * MINUTE, "take", holder)
    plan.add(created + 45 * MINUTE, "status", holder, status="in_progress")
    if reached == "pending_customer":
        plan.add(created + 60 * MINUTE, "reply", holder, body=texts.ASK_DETAILS)
        plan.add(created + 61 * MINUTE, "status", holder, status="pending_customer")
    elif reached == "pending_vendor":
        plan.add(created + 60 * MINUTE, "status", holder, status="pending_vendor", reason=texts.WAITING_VENDOR)
    elif reached == "pending_problem":
        plan.add(created + 60 * MINUTE, "status", holder, status="pending_problem", reason=texts.WAITING_PROBLEM)
