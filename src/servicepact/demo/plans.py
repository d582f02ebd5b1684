"""The life of each demonstration ticket, planned in advance as timed steps.

A plan is made from the ticket's arrival and a few dice rolls (first-contact resolution, a pause
waiting on the customer, a handoff to the hardware vendor, a breach, a reopen ...). Response and
resolution times are drawn as fractions of the contract's targets, counted in the clock's own business
calendar, so that most tickets meet their targets and a realistic few do not.
"""

import random
from dataclasses import dataclass, field

from servicepact.demo import texts
from servicepact.demo.arrivals import Arrival
from servicepact.demo.catalogue import ROUTES, RouteSpec
from servicepact.sla.contract_model import Contract as KernelContract

MINUTE, HOUR, DAY = 60, 3600, 86400

# Who works a team's queue in the demonstration (keys of demo people).
TEAM_WORKERS = {
    "app-support-cn": ["resolver-cn"],
    "app-support-in": ["resolver-in", "resolver-in", "team-lead"],
    "globex-security": ["security"],
    "globex-operations": ["operations"],
    "globex-data": ["data"],
    "globex-erp": ["erp"],
    "kestrel-onsite": ["vendor-engineer"],
}
DESK = "agent"
RAISED_URGENCY = {"low": "medium", "medium": "high"}
FIRST_CONTACT_CATEGORIES = {"how-to": 0.8, "password-reset": 0.9, "application-error": 0.12, "access-request": 0.1}


@dataclass(frozen=True)
class Step:
    at: int  # epoch seconds
    action: str  # create, reply, note, route, take, status, assign, resolve, reopen, close, priority
    actor: str  # a demo person's key
    args: dict = field(default_factory=dict)


@dataclass
class Plan:
    arrival: Arrival
    steps: list[Step] = field(default_factory=list)

    def add(self, at: int, action: str, actor: str, **args) -> int:
        """Append a step no earlier than a minute after the last one; returns its instant."""
        if self.steps:
            at = max(at, self.steps[-1].at + MINUTE)
        self.steps.append(Step(at, action, actor, args))
        return at


def route_for(service: str, category: str) -> RouteSpec:
    """The responsibility matrix line that will match, as the desk's routing will find it."""
    matching = [r for r in ROUTES if r.service in (None, service) and r.category in ("", category)]
    return min(matching, key=lambda r: r.precedence)


class Planner:
    def __init__(self, terms: KernelContract, rng: random.Random) -> None:
        self.terms = terms
        self.rng = rng

    def business_after(self, clock: str, priority: str, service: str, start: int, fraction: float) -> int:
        """The instant at which ``fraction`` of the clock's target has passed in its calendar."""
        _, calendar = self.terms.clock_calendar(clock, priority, service)
        target = self.terms.clocks[clock].targets[priority].within_s
        return calendar.add(start, int(target * fraction))

    def fraction(self, breach_chance: float) -> float:
        if self.rng.random() < breach_chance:
            return self.rng.uniform(1.1, 2.2)
        return self.rng.uniform(0.15, 0.85)

    def plan(self, arrival: Arrival) -> Plan:
        rng, plan = self.rng, Plan(arrival)
        service, category = arrival.service, arrival.category
        priority = self.terms.priority_for(arrival.impact, arrival.urgency)
        plan.add(arrival.at, "create", arrival.requester)
        responded = self.business_after(
            "response", priority, service, arrival.at, self.fraction(0.08 if priority == "P1" else 0.03)
        )
        resolution_fraction = self.fraction(0.07)
        if rng.random() < FIRST_CONTACT_CATEGORIES.get(category, 0.0):
            solved = plan.add(responded, "resolve", DESK, resolution=texts.FIRST_CONTACT_RESOLUTION)
            self._afterwards(plan, solved, holder=DESK, priority=priority)
            return plan
        route = route_for(service, category)
        if route.to_requester:
            routed = plan.add(responded, "route", DESK)
            answered = plan.add(
                routed + rng.randint(2 * HOUR, 2 * DAY), "reply", arrival.requester, body=texts.LOCAL_IT_DONE
            )
            solved = plan.add(
                answered + rng.randint(5, 60) * MINUTE, "resolve", DESK, resolution=texts.LOCAL_IT_RESOLUTION
            )
            self._afterwards(plan, solved, holder=DESK, priority=priority)
            return plan
        plan.add(responded, "reply", DESK, body=texts.FORWARDED)
        routed = plan.add(responded + rng.randint(2, 15) * MINUTE, "route", DESK)
        if arrival.urgency != "high" and rng.random() < 0.04:
            urgency = RAISED_URGENCY[arrival.urgency]
            priority = self.terms.priority_for(arrival.impact, urgency)
            plan.add(routed + rng.randint(10, 90) * MINUTE, "priority", DESK, urgency=urgency, reason=texts.PRIORITY_UP)
        holder = rng.choice(TEAM_WORKERS[route.team])
        picked = self.business_after("resolution", priority, service, routed, rng.uniform(0.02, 0.15))
        last = plan.add(picked, "take", holder)
        last = plan.add(last + rng.randint(1, 20) * MINUTE, "status", holder, status="in_progress")
        if rng.random() < 0.4:
            last = plan.add(last + rng.randint(10, 120) * MINUTE, "note", holder, body=texts.NOTE)
        paused_s = 0
        if rng.random() < 0.15:
            asked = plan.add(last + rng.randint(10, 90) * MINUTE, "reply", holder, body=texts.ASK_DETAILS)
            plan.add(asked + MINUTE, "status", holder, status="pending_customer")
            answered = plan.add(
                asked + rng.randint(1 * HOUR, 30 * HOUR), "reply", arrival.requester, body=texts.DETAILS_GIVEN
            )
            _, calendar = self.terms.clock_calendar("resolution", priority, service)
            paused_s = calendar.elapsed(asked, answered)
            last = answered
        if service == "sap-erp" and category == "application-error" and rng.random() < 0.2:
            waiting = plan.add(
                last + rng.randint(10, 60) * MINUTE,
                "status",
                holder,
                status="pending_vendor",
                reason=texts.WAITING_VENDOR,
            )
            last = plan.add(
                waiting + rng.randint(2 * HOUR, 20 * HOUR),
                "status",
                holder,
                status="in_progress",
                reason=texts.VENDOR_ANSWERED,
            )
        if category == "application-error" and service == "mes-asia" and rng.random() < 0.15:
            handed = plan.add(
                last + rng.randint(10, 90) * MINUTE,
                "assign",
                holder,
                team="kestrel-onsite",
                reason=texts.VENDOR_HANDOFF,
            )
            holder = "vendor-engineer"
            last = plan.add(handed + rng.randint(30, 240) * MINUTE, "take", holder)
            last = plan.add(last + MINUTE, "status", holder, status="in_progress")
        _, calendar = self.terms.clock_calendar("resolution", priority, service)
        target = self.terms.clocks["resolution"].targets[priority].within_s
        due = calendar.add(arrival.at, int(target * resolution_fraction) + paused_s)
        resolution = texts.VENDOR_RESOLUTION if holder == "vendor-engineer" else texts.RESOLUTION
        solved = plan.add(max(due, last + rng.randint(10, 60) * MINUTE), "resolve", holder, resolution=resolution)
        self._afterwards(plan, solved, holder=holder, priority=priority)
        return plan

    def _afterwards(self, plan: Plan, solved: int, *, holder: str, priority: str) -> None:
        """A few tickets come back within the reopen window; the rest are closed a few days later."""
        rng = self.rng
        if rng.random() < 0.05:
            reopened = plan.add(
                solved + rng.randint(2 * HOUR, 72 * HOUR), "reopen", plan.arrival.requester, reason=texts.REOPEN
            )
            solved = plan.add(
                self.business_after("resolution", priority, plan.arrival.service, reopened, rng.uniform(0.1, 0.5)),
                "resolve",
                holder,
                resolution=texts.RESOLUTION,
            )
        plan.add(solved + rng.randint(3 * DAY, 5 * DAY), "close", DESK)
