"""Six months (or any number) of ticket history, played through the desk's actions with ``at=``.

Nothing here writes a row itself: every ticket, event and clock comes from the same actions the web
and the API call, so the event log's hash chains, the projections and the clocks are the real thing.
The history is a pure function of the seed and the end instant.
"""

import heapq
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from servicepact.contracts.actions import kernel_contract
from servicepact.demo.arrivals import arrivals, as_datetime
from servicepact.demo.plans import Plan, Planner, Step
from servicepact.demo.scenario import Scenario
from servicepact.demo.tails import open_work_plans
from servicepact.demo.texts import description
from servicepact.desk import actions
from servicepact.desk.models import Ticket
from servicepact.notify.actions import silenced as notifications_silenced
from servicepact.slm.sweep import sweep

# The worker sweeps the clocks every minute or so; the simulated one every quarter of an hour, which
# records each warning and breach near the moment it happened without a sweep per simulated minute.
SWEEP_EVERY_S = 15 * 60


@dataclass
class SimulationResult:
    tickets: int = 0
    steps: int = 0
    # Planned steps still in the future at the end: the tickets they belong to are open now.
    pending_steps: int = 0
    actions: Counter = field(default_factory=Counter)


class Simulator:
    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int,
        start: datetime,
        end: datetime,
        progress: Callable[[str, int], None] | None = None,
    ) -> None:
        self.scenario = scenario
        # Told each month reached ("2026-06") and the tickets so far: a long load shows it is moving.
        self.progress = progress
        self.rng = random.Random(seed)
        self.start, self.end = start, end
        self.terms = kernel_contract(scenario.version)
        self.tickets: dict[int, Ticket] = {}

    def plans(self) -> list[Plan]:
        planner = Planner(self.terms, self.rng)
        plans = [planner.plan(arrival) for arrival in arrivals(self.rng, self.terms, self.start, self.end)]
        return plans + open_work_plans(self.end)

    def run(self) -> SimulationResult:
        # Months-old changes are history, not news: no mail to anyone about them.
        with notifications_silenced():
            return self._play()

    def _play(self) -> SimulationResult:
        result = SimulationResult()
        plans = self.plans()
        end_s = int(self.end.timestamp())
        # All tickets' steps in one timeline, so that ticket numbers follow the order of arrival.
        timeline = [(plan.steps[0].at, index, 0) for index, plan in enumerate(plans)]
        heapq.heapify(timeline)
        month = ""
        next_sweep = timeline[0][0] if timeline else end_s
        while timeline:
            at, index, position = heapq.heappop(timeline)
            plan = plans[index]
            if at >= end_s:
                result.pending_steps += len(plan.steps) - position
                continue
            while next_sweep <= at:
                sweep(now=as_datetime(next_sweep))
                next_sweep += SWEEP_EVERY_S
            if self.progress and as_datetime(at).strftime("%Y-%m") != month:
                month = as_datetime(at).strftime("%Y-%m")
                self.progress(month, len(self.tickets))
            self.perform(index, plan, plan.steps[position])
            result.steps += 1
            result.actions[plan.steps[position].action] += 1
            if position + 1 < len(plan.steps):
                heapq.heappush(timeline, (plan.steps[position + 1].at, index, position + 1))
        while next_sweep <= end_s:
            sweep(now=as_datetime(next_sweep))
            next_sweep += SWEEP_EVERY_S
        result.tickets = len(self.tickets)
        return result

    def perform(self, index: int, plan: Plan, step: Step) -> None:
        people, scenario = self.scenario.people, self.scenario
        actor, at, args = people[step.actor], as_datetime(step.at), step.args
        if step.action == "create":
            arrival = plan.arrival
            self.tickets[index] = actions.create_ticket(
                actor=actor,
                contract=scenario.contract,
                service=scenario.services[arrival.service],
                title=arrival.title,
                description=description(arrival.title, arrival.service, arrival.category, arrival.at),
                impact=arrival.impact,
                urgency=arrival.urgency,
                category=arrival.category,
                at=at,
            )
            return
        ticket = self.tickets[index]
        match step.action:
            case "reply":
                actions.reply(ticket, actor=actor, body=args["body"], at=at)
            case "note":
                actions.add_note(ticket, actor=actor, body=args["body"], at=at)
            case "route":
                actions.route_ticket(ticket, actor=actor, at=at)
            case "take":
                actions.set_assignee(ticket, actor=actor, assignee=actor, at=at)
            case "status":
                actions.change_status(ticket, actor=actor, status=args["status"], reason=args.get("reason", ""), at=at)
            case "assign":
                actions.assign_ticket(
                    ticket, actor=actor, team=scenario.teams[args["team"]], reason=args["reason"], at=at
                )
            case "priority":
                actions.change_priority(ticket, actor=actor, urgency=args["urgency"], reason=args["reason"], at=at)
            case "resolve":
                actions.resolve_ticket(ticket, actor=actor, resolution=args["resolution"], at=at)
            case "reopen":
                actions.reopen_ticket(ticket, actor=actor, reason=args["reason"], at=at)
            case "close":
                actions.close_ticket(ticket, actor=actor, at=at)
            case _:
                raise ValueError(f"demo plan step has unknown action {step.action!r}")


# A history that would begin this little after the first of a month begins on the first instead, so that the
# month is a whole one with its stored monthly report (and no report period starts just before the history).
SNAP_TO_MONTH = timedelta(days=3)


def history_start(end: datetime, months: int, zone: str | None = None) -> datetime:
    """``months`` calendar months of 30.44 days before ``end``: the month count the command is given; with
    ``zone`` (the contract's reporting zone), moved back to the first of its month when that is a few days
    before."""
    start = end - timedelta(days=round(30.44 * months))
    if zone is None or months == 0:
        return start
    local = start.astimezone(ZoneInfo(zone))
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return first.astimezone(UTC) if local - first <= SNAP_TO_MONTH else start
