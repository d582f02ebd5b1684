"""When tickets arrive and what they are about: each region's business hours, services and people.

Arrivals form a Poisson process that runs only while the region's business calendar (the contract's)
is open, so weekends, public holidays and China's make-up working days shape the history as they would.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from servicepact.demo.texts import CATEGORY_MIX, TITLES
from servicepact.sla.contract_model import Contract as KernelContract


@dataclass(frozen=True)
class Region:
    name: str
    calendar: str  # a calendar of the contract
    services: list[tuple[str, int]]  # service key, weight
    per_open_hour: float
    requesters: list[str]  # keys of demo people


REGIONS = [
    Region("europe", "eu-business", [("sap-erp", 65), ("sso", 35)], 1.35, ["requester", "requester-plant"]),
    Region("asia", "cn-business", [("mes-asia", 60), ("hr-portal", 40)], 1.05, ["requester-asia"]),
]

IMPACT_WEIGHTS = [("high", 12), ("medium", 48), ("low", 40)]
URGENCY_WEIGHTS = [("high", 15), ("medium", 45), ("low", 40)]


@dataclass(frozen=True)
class Arrival:
    at: int  # epoch seconds
    service: str
    category: str
    impact: str
    urgency: str
    requester: str
    title: str


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    values, weights = zip(*weighted)
    return rng.choices(values, weights=weights)[0]


def arrival_instants(rng: random.Random, terms: KernelContract, region: Region, start: int, end: int) -> list[int]:
    """Instants in [start, end) with exponential gaps counted in the region's open hours only."""
    instants = []
    calendar = terms.business_calendar(region.calendar)
    mean_gap_s = 3600 / region.per_open_hour
    wait = rng.expovariate(1) * mean_gap_s
    for open_from, open_to in calendar.open_intervals(start, end):
        cursor = open_from
        while cursor + wait < open_to:
            cursor += wait
            instants.append(int(cursor))
            wait = rng.expovariate(1) * mean_gap_s
        wait -= open_to - cursor
    return instants


def arrivals(rng: random.Random, terms: KernelContract, start: datetime, end: datetime) -> list[Arrival]:
    start_s, end_s = int(start.timestamp()), int(end.timestamp())
    result = []
    for region in REGIONS:
        for at in arrival_instants(rng, terms, region, start_s, end_s):
            service = pick(rng, region.services)
            category = pick(rng, CATEGORY_MIX[service])
            result.append(
                Arrival(
                    at=at,
                    service=service,
                    category=category,
                    impact=pick(rng, IMPACT_WEIGHTS),
                    urgency=pick(rng, URGENCY_WEIGHTS),
                    requester=rng.choice(region.requesters),
                    title=rng.choice(TITLES[(service, category)]),
                )
            )
    result.sort(key=lambda arrival: arrival.at)
    return result


def as_datetime(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)
