"""The loaded contract: the typed, checked form of a contract file that the kernel and the service use.

Built by ``contract.load_contract`` from the written form (``contract_document``); nothing here parses
text. Numbers that decide compliance are exact ``Fraction``s, durations are whole seconds.
"""

import datetime
import threading
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr

from servicepact.sla.calendar import BusinessCalendar
from servicepact.sla.contract_checks import SERVICE_CALENDAR
from servicepact.sla.contract_document import CalendarDoc, ChangesDoc, ClockDoc, ContractDoc, OlaDoc, TargetDoc
from servicepact.sla.contract_errors import Diagnostic
from servicepact.sla.contract_values import ALWAYS_OPEN, Comparison

OLA_CLOCK_PREFIX = "ola:"  # clock_calendar("ola:<team>", ...) resolves an OLA clock


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class CalendarDef(Frozen):
    timezone: str
    weekly: dict[int, list[tuple[int, int]]]  # weekday 0=Mon..6=Sun -> sorted (start, end) seconds of the day
    holidays: str | None = None
    closed: list[datetime.date] = []
    open: list[datetime.date] = []
    always_open: bool = False


class ServiceDef(Frozen):
    id: str
    name: str
    tier: int
    calendar: str


class Target(Frozen):
    within_s: int
    calendar: str  # a calendar's name, "24x7", or "service"


class WarningDef(Frozen):
    at: Fraction
    notify: list[str]


class ClockDef(Frozen):
    name: str
    targets: dict[str, Target]
    pause_on: frozenset[str] = frozenset()
    stop_on: str | None = None
    on_priority_change: Literal["retroactive", "restart", "split"] = "retroactive"
    warnings: list[WarningDef] = []


class OlaDef(Frozen):
    team: str
    underpinning: bool = False
    targets: dict[str, Target]
    pause_on: frozenset[str] = frozenset()


class MeasureDef(Frozen):
    id: str
    measure: str
    frequency: Literal["daily", "weekly", "monthly"]
    baseline: Fraction | None = None
    target: Comparison
    measured_by: str
    exclude: dict[str, list[str]] = {}
    description: str = ""
    service: str | None = None  # availability: the service measured
    calendar: str | None = None  # availability: the agreed service hours; None: the service's calendar


class CreditRule(Frozen):
    measure: str  # a measure's id
    below: Fraction
    credit: Fraction


class CreditsDef(Frozen):
    monthly_fee_amount: Decimal
    currency: str
    cap: Fraction
    rules: list[CreditRule]


class FreezeDef(Frozen):
    start: datetime.date
    end: datetime.date  # the last frozen day, inclusive
    reason: str = ""
    services: frozenset[str] = frozenset()  # empty: every service

    def covers(self, day: datetime.date, services: frozenset[str] | set[str]) -> bool:
        """Whether ``day`` is frozen for a change touching ``services``."""
        return self.start <= day <= self.end and (not self.services or bool(self.services & set(services)))


class ChangesDef(Frozen):
    advisory_board: str | None = None  # a team's slug; None: the customer's managers
    implementers: str | None = None  # a team's slug; None: the provider's staff
    approval: dict[str, Literal["all", "any"]] = {}
    freezes: list[FreezeDef] = []

    def rule_for(self, risk: str) -> str:
        """ "all" or "any": how many of the board must approve a change of ``risk``."""
        return self.approval.get(risk, "any")


class BillingDef(Frozen):
    currency: str
    monthly_fee: Decimal  # 0 when neither billing nor credits name a fee
    rates: dict[str, Decimal]
    billable: frozenset[str]


class Contract(Frozen):
    id: str
    version: int
    title: str
    customer: str
    provider: str
    vendors: list[str] = []
    effective_from: datetime.date
    effective_to: datetime.date | None = None
    reporting_timezone: str
    disclose_internal_clocks: bool = False
    calendars: dict[str, CalendarDef]
    services: dict[str, ServiceDef]
    priorities: list[str]
    matrix: dict[str, dict[str, str]]
    clocks: dict[str, ClockDef]
    olas: dict[str, OlaDef] = {}
    measures: list[MeasureDef] = []
    maintenance: str | None = None  # the calendar of agreed maintenance windows (SLA-SPEC section 6)
    credits: CreditsDef | None = None
    billing: BillingDef | None = None
    changes: ChangesDef = ChangesDef()
    source_sha256: str
    warnings: list[Diagnostic] = []

    _calendars: dict[str, BusinessCalendar] = PrivateAttr(default_factory=dict)
    _calendars_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def business_calendar(self, name: str) -> BusinessCalendar:
        """The calendar called ``name`` (or the always-open ``24x7``), built once per contract."""
        with self._calendars_lock:
            calendar = self._calendars.get(name)
            if calendar is None:
                calendar = self._calendars[name] = self._build_calendar(name)
            return calendar

    def _build_calendar(self, name: str) -> BusinessCalendar:
        if name == ALWAYS_OPEN:
            return BusinessCalendar.always()
        definition = self.calendars.get(name)
        if definition is None:
            raise KeyError(f"contract {self.id} v{self.version} has no calendar {name!r}")
        if definition.always_open:
            return BusinessCalendar.always(name)
        return BusinessCalendar(
            name,
            definition.timezone,
            definition.weekly,
            holidays=definition.holidays,
            closed=definition.closed,
            open=definition.open,
        )

    def clock_calendar(self, clock: str, priority: str, service: str) -> tuple[str, BusinessCalendar]:
        """The calendar a clock counts in for a ticket of ``priority`` on ``service``, with its name.

        ``clock`` is a clock's name (response, resolution, update) or ``ola:<team>`` for a team's OLA.
        """
        if clock.startswith(OLA_CLOCK_PREFIX) and clock[len(OLA_CLOCK_PREFIX) :] in self.olas:
            targets = self.olas[clock[len(OLA_CLOCK_PREFIX) :]].targets
        elif clock in self.clocks:
            targets = self.clocks[clock].targets
        else:
            raise KeyError(f"contract {self.id} v{self.version} has no clock {clock!r}")
        if priority not in targets:
            raise KeyError(f"clock {clock!r} has no target for priority {priority!r}")
        name = targets[priority].calendar
        if name == SERVICE_CALENDAR:
            if service not in self.services:
                raise KeyError(f"contract {self.id} v{self.version} has no service {service!r}")
            name = self.services[service].calendar
        return name, self.business_calendar(name)

    def priority_for(self, impact: str, urgency: str) -> str:
        try:
            return self.matrix[impact][urgency]
        except KeyError:
            raise KeyError(
                f"the priority matrix has no cell for impact {impact!r} and urgency {urgency!r}; "
                f"impacts: {', '.join(self.matrix)}"
            ) from None


def _natural_order(priority: str) -> tuple:
    """P2 before P10: digits compare as numbers."""
    digits = "".join(ch for ch in priority if ch in "0123456789")[:18]  # isdigit() also holds for '³'
    return (priority.rstrip("0123456789"), int(digits) if digits else -1, priority)


def _targets(targets: dict[str, TargetDoc]) -> dict[str, Target]:
    return {p: Target(within_s=t.within, calendar=t.calendar) for p, t in targets.items()}


def _clock(name: str, clock: ClockDoc) -> ClockDef:
    return ClockDef(
        name=name,
        targets=_targets(clock.targets),
        pause_on=frozenset(clock.pause_on),
        stop_on=clock.stop_on,
        on_priority_change=clock.on_priority_change,
        warnings=sorted((WarningDef(at=w.at, notify=list(w.notify)) for w in clock.warnings), key=lambda w: w.at),
    )


def _ola(team: str, ola: OlaDoc) -> OlaDef:
    return OlaDef(
        team=team, underpinning=ola.underpinning, targets=_targets(ola.targets), pause_on=frozenset(ola.pause_on)
    )


def _calendar(doc: CalendarDoc) -> CalendarDef:
    if doc.always_open:
        return CalendarDef(timezone="UTC", weekly={day: [(0, 86400)] for day in range(7)}, always_open=True)
    windows_of_day = {day: list(windows) for days, windows in doc.hours.items() for day in days}
    return CalendarDef(
        timezone=doc.timezone,
        weekly={day: windows_of_day.get(day, []) for day in range(7)},
        holidays=doc.holidays,
        closed=sorted(set(doc.closed)),
        open=sorted(set(doc.open)),
    )


def _changes(doc: ChangesDoc | None) -> ChangesDef:
    if doc is None:
        return ChangesDef()
    return ChangesDef(
        advisory_board=doc.advisory_board,
        implementers=doc.implementers,
        approval=dict(doc.approval),
        freezes=[
            FreezeDef(start=f.from_, end=f.to, reason=f.reason, services=frozenset(f.services)) for f in doc.freezes
        ],
    )


def build_contract(doc: ContractDoc, source_sha256: str, warnings: list[Diagnostic]) -> Contract:
    clocks = {"response": doc.clocks.response, "resolution": doc.clocks.resolution, "update": doc.clocks.update}
    credits = doc.credits
    return Contract(
        id=doc.contract,
        version=doc.version,
        title=doc.title,
        customer=doc.customer,
        provider=doc.provider,
        vendors=list(doc.vendors),
        effective_from=doc.effective.from_,
        effective_to=doc.effective.to,
        reporting_timezone=doc.reporting.timezone,
        disclose_internal_clocks=doc.reporting.disclose_internal_clocks,
        calendars={name: _calendar(calendar) for name, calendar in doc.calendars.items()},
        services={
            sid: ServiceDef(id=sid, name=s.name, tier=s.tier, calendar=s.calendar) for sid, s in doc.services.items()
        },
        priorities=sorted({p for row in doc.priorities.matrix.values() for p in row.values()}, key=_natural_order),
        matrix={impact: dict(row) for impact, row in doc.priorities.matrix.items()},
        clocks={name: _clock(name, clock) for name, clock in clocks.items() if clock is not None},
        olas={team: _ola(team, ola) for team, ola in sorted(doc.olas.items())},
        measures=[
            MeasureDef(
                id=m.id,
                measure=m.measure,
                frequency=m.frequency,
                baseline=m.baseline,
                target=m.target,
                measured_by=m.measured_by,
                exclude={key: list(values) for key, values in m.exclude.items()},
                description=m.description,
                service=m.service,
                calendar=m.calendar,
            )
            for m in doc.measures
        ],
        maintenance=doc.maintenance,
        credits=None
        if credits is None
        else CreditsDef(
            monthly_fee_amount=credits.monthly_fee.amount,
            currency=credits.monthly_fee.currency,
            cap=credits.cap,
            rules=[CreditRule(measure=r.measure, below=r.below, credit=r.credit) for r in credits.rules],
        ),
        changes=_changes(doc.changes),
        billing=_billing(doc),
        source_sha256=source_sha256,
        warnings=warnings,
    )


def _billing(doc: ContractDoc) -> BillingDef | None:
    billing = doc.billing
    if billing is None:
        return None
    fee = billing.monthly_fee
    if fee is None:
        fee = doc.credits.monthly_fee.amount if doc.credits is not None else Decimal(0)
    return BillingDef(
        currency=billing.currency,
        monthly_fee=fee,
        rates=dict(billing.rates),
        billable=frozenset(billing.rates if billing.billable is None else billing.billable),
    )
