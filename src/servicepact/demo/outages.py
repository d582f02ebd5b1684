"""The demo's availability: the contract's availability measures and maintenance windows, and the outages of
its history (planned Sunday work, short unplanned outages, and one month in which SAP ERP is down long
enough to miss its target and earn the customer a credit: a storage failure run as a major incident).

``availability_source`` adds to the reference contract what SLA-SPEC section 6 needs (the terms of
contract-example-availability.yaml); ``record_outages`` records the outages through the service's action,
as the provider's agent would, before the history's reports are stored, so that the monthly reports count
them and keep their outage log.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from servicepact.availability.actions import record_outage
from servicepact.demo.problems import run_major_incident

BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")
MAINTENANCE_CALENDAR = """  maintenance-window:              # agreed windows for planned work: Sunday early morning, Berlin
    timezone: Europe/Berlin
    hours:
      sun: ["01:00-05:00"]
"""
AVAILABILITY_MEASURES = """  - id: erp-availability
    measure: availability
    service: sap-erp
    calendar: always               # agreed service time: around the clock
    frequency: monthly
    baseline: 0.998
    target: ">= 0.999"
    measured_by: service-reporting
  - id: mes-availability
    measure: availability
    service: mes-asia              # agreed service time: the service's own calendar (cn-business)
    frequency: monthly
    target: ">= 0.995"
    measured_by: service-reporting

"""
AVAILABILITY_CREDITS = """    - {measure: erp-availability,      below: 0.999, credit: 5%}
    - {measure: erp-availability,      below: 0.99, credit: 10%}
    - {measure: mes-availability,      below: 0.995, credit: 3%}
"""


def availability_source(reference_text: str) -> str:
    """The reference contract with the availability terms of SLA-SPEC section 6 added."""
    text = reference_text.replace("  always: 24x7\n", "  always: 24x7\n" + MAINTENANCE_CALENDAR, 1)
    text = text.replace("\ncredits:\n", "\n" + AVAILABILITY_MEASURES.rstrip("\n") + "\n\ncredits:\n", 1)
    text = text.rstrip("\n") + "\n" + AVAILABILITY_CREDITS
    return text + "\nmaintenance: maintenance-window    # planned outages inside these windows are not downtime\n"


@dataclass
class OutageResult:
    planned: int
    unplanned: int
    missed_month: str

    @property
    def summary(self) -> str:
        return (
            f"demo: recorded {self.planned} planned and {self.unplanned} unplanned outages; "
            f"SAP ERP misses its availability target in {self.missed_month or 'no month'}."
        )


def _months(start: datetime, end: datetime) -> list[datetime]:
    """The first local instant of every Berlin month that holds some of [start, end)."""
    local = start.astimezone(BERLIN)
    month = datetime(local.year, local.month, 1, tzinfo=BERLIN)
    found = []
    while month < end:
        found.append(month)
        month = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=BERLIN)
    return found


def _first_sunday(month: datetime) -> datetime:
    return month + timedelta(days=(6 - month.weekday()) % 7)


def record_outages(scenario, start: datetime, end: datetime, *, seed: int) -> OutageResult:
    rng = random.Random(seed + 6)
    agent = scenario.people["agent"]
    contract, services = scenario.contract, scenario.services
    months = _months(start, end)
    # the last month that ended before now misses SAP ERP's target
    missed = months[-2] if len(months) > 1 else None
    planned = unplanned = 0
    change = 4100

    def add(service: str, begin: datetime, finish: datetime, *, is_planned: bool, reference: str, text: str):
        nonlocal planned, unplanned
        if begin < start or finish > end:
            return
        record_outage(
            actor=agent,
            contract=contract,
            service=services[service],
            start=begin,
            end=finish,
            planned=is_planned,
            reference=reference,
            description=text,
            now=end,
        )
        planned += is_planned
        unplanned += not is_planned

    for month in months:
        sunday = _first_sunday(month)
        change += 1
        overrun = rng.random() < 0.3
        add(
            "sap-erp",
            sunday.replace(hour=1, minute=15),
            sunday.replace(hour=5, minute=40) if overrun else sunday.replace(hour=4, minute=30),
            is_planned=True,
            reference=f"CHG{change:07d}",
            text="Kernel and database patches" + (", ran over the window" if overrun else ""),
        )
        weekday = month + timedelta(days=rng.randint(2, 25), hours=rng.randint(8, 17), minutes=rng.choice((0, 20, 40)))
        add(
            "sap-erp",
            weekday,
            weekday + timedelta(minutes=rng.randint(12, 38)),
            is_planned=False,
            reference="",
            text="Application server restarted after a memory leak",
        )
        local = month.astimezone(SHANGHAI)
        plant = datetime(local.year, local.month, rng.randint(3, 24), rng.choice((10, 14, 15)), 0, tzinfo=SHANGHAI)
        add(
            "mes-asia",
            plant,
            plant + timedelta(minutes=rng.randint(20, 75)),
            is_planned=False,
            reference="",
            text="Line controllers lost their database connection",
        )
        if month == missed:
            # A storage failure stops SAP ERP for hours: run as a major incident, whose resolution records the
            # outage of the services it names (SAP ERP and single sign-on) with the incident as its reference.
            storm = month + timedelta(days=12, hours=6)
            restored = storm + timedelta(hours=9, minutes=30)
            if start <= storm and restored <= end:
                run_major_incident(scenario, storm, restored)
                unplanned += 1
    return OutageResult(planned, unplanned, missed.strftime("%Y-%m") if missed else "")
