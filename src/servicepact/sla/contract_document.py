"""The contract language as written: one pydantic model per YAML mapping, strict, no unknown keys.

These models check each value where it stands (types, durations, zones, windows ...) and give the JSON
Schema editors use; checks that compare parts of the contract live in ``contract_checks``; the loaded
contract that the rest of the kernel uses is ``contract_model.Contract``.
"""

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from servicepact.sla.contract_values import (
    ALWAYS_OPEN,
    STATUSES,
    STOP_EVENTS,
    ContractId,
    Currency,
    Date,
    HolidayCountry,
    MeasureValue,
    Money,
    Ratio,
    Target,
    TargetDuration,
    TimeZoneName,
    Weekdays,
    Window,
    format_window,
)

Status = Literal[STATUSES]  # type: ignore[valid-type]
StopEvent = Literal[STOP_EVENTS]  # type: ignore[valid-type]
Name = Annotated[str, Field(min_length=1)]


class Clause(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)


def _no_overlap(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    ordered = sorted(windows)
    for earlier, later in zip(ordered, ordered[1:]):
        if later[0] < earlier[1]:
            raise PydanticCustomError(
                "overlap", f'windows "{format_window(earlier)}" and "{format_window(later)}" overlap'
            )
    return ordered


DayWindows = Annotated[list[Window], AfterValidator(_no_overlap)]


class EffectiveDoc(Clause, title="Effective period"):
    """The dates between which the contract is in force."""

    from_: Date = Field(alias="from", description="First day in force.")
    to: Date | None = Field(None, description="Last day in force; open-ended when absent.")

    @model_validator(mode="after")
    def _ends_after_start(self) -> "EffectiveDoc":
        if self.to is not None and self.to < self.from_:
            raise PydanticCustomError("effective", f"'to' ({self.to}) is before 'from' ({self.from_})")
        return self


class ReportingDoc(Clause, title="Reporting"):
    timezone: TimeZoneName = Field(description="Weeks and months of reports are cut in this zone.")
    disclose_internal_clocks: bool = Field(
        False,
        description="Show OLA and underpinning-contract clocks to the customer's people too (default: the "
        "provider's and resolver teams' staff only).",
    )


class CalendarDoc(Clause, title="Calendar"):
    """Opening hours in a time zone; the string 24x7 instead of a mapping is open at every instant."""

    timezone: TimeZoneName
    hours: dict[Weekdays, DayWindows] = Field(
        description='Weekdays ("mon-fri", "sat", "mon,wed") -> opening windows ("08:00-18:00"); other days are closed.'
    )
    holidays: HolidayCountry | None = Field(None, description="Country whose public holidays are closed all day.")
    closed: list[Date] = Field([], description="Dates closed all day, whatever else applies.")
    open: list[Date] = Field([], description="Dates open with Monday's hours, whatever else applies.")
    _always_open: bool = PrivateAttr(False)

    @property
    def always_open(self) -> bool:
        return self._always_open


def _always_open_calendar() -> CalendarDoc:
    calendar = CalendarDoc.model_construct(timezone="UTC", hours={}, holidays=None, closed=[], open=[])
    calendar._always_open = True
    return calendar


def _calendar_or_24x7(value: Any) -> Any:
    if value == ALWAYS_OPEN:
        return _always_open_calendar()
    if isinstance(value, str):
        raise PydanticCustomError(
            "calendar", f'"{value}" is not a calendar; write "24x7" or a mapping with timezone and hours'
        )
    return value


CalendarEntry = Annotated[CalendarDoc, BeforeValidator(_calendar_or_24x7)]


class ServiceDoc(Clause, title="Service"):
    name: Name = Field(description="The service's name as people know it.")
    tier: int = Field(ge=1, description="Criticality from the business impact analysis; 1 is the most critical.")
    calendar: Name = Field(description="A calendar's name (or 24x7) whose hours count for this service.")


class PrioritiesDoc(Clause, title="Priorities"):
    matrix: dict[Name, dict[Name, Name]] = Field(
        min_length=1, description="impact -> urgency -> priority; every impact lists the same urgencies."
    )


class TargetDoc(Clause, title="Target"):
    within: TargetDuration
    calendar: Name = Field(description="A calendar's name, 24x7, or \"service\": the calendar of the ticket's service.")


class WarningDoc(Clause, title="Breach warning"):
    """A breach warning, fired once per clock when the clock has used this share of its target."""

    at: Ratio
    notify: list[Name] = Field(min_length=1, description="Roles to tell: assignee, team_lead, on_call ...")


class ClockDoc(Clause, title="Clock"):
    targets: dict[Name, TargetDoc] = Field(min_length=1, description="Priority -> target.")
    pause_on: list[Status] = Field([], description="Statuses during which the clock does not run.")
    stop_on: StopEvent | None = Field(None, description="responded: the clock stops at the first reply.")
    on_priority_change: Literal["retroactive", "restart", "split"] = Field(
        "retroactive", description="retroactive: the last priority's target counts from the start."
    )
    warnings: list[WarningDoc] = []


class ClocksDoc(Clause, title="Clocks"):
    response: ClockDoc
    resolution: ClockDoc
    update: ClockDoc | None = Field(None, description="Time since the last public reply.")


class OlaDoc(Clause, title="OLA"):
    """A resolver team's target for the time a ticket spends in its queue."""

    underpinning: bool = Field(False, description="True for another vendor's underpinning contract.")
    targets: dict[Name, TargetDoc] = Field(min_length=1)
    pause_on: list[Status] = []


class MeasureDoc(Clause, title="Measure"):
    id: Name
    measure: Name = Field(description="What is measured (response_met_ratio, resolution_met_ratio ...).")
    frequency: Literal["daily", "weekly", "monthly"] = Field(description="How often the report is due.")
    baseline: MeasureValue | None = None
    target: Target
    measured_by: Name
    exclude: dict[Literal["category"], list[Name]] = Field({}, description="Tickets left out, by category.")
    description: str = ""
    service: Name | None = Field(None, description="availability: the service measured (required for it).")
    calendar: Name | None = Field(
        None, description="availability: the calendar of the agreed service hours; default the service's."
    )


class MonthlyFeeDoc(Clause, title="Monthly fee"):
    amount: Money
    currency: Currency


class CreditRuleDoc(Clause, title="Credit rule"):
    measure: Name = Field(description="A measure's id.")
    below: MeasureValue = Field(description="The rule applies when the month's value is strictly below this.")
    credit: Ratio = Field(description="Credit in percent of the monthly fee.")


class CreditsDoc(Clause, title="Service credits"):
    monthly_fee: MonthlyFeeDoc
    cap: Ratio = Field(description="The most a month's credits can add up to, in percent of the fee.")
    rules: list[CreditRuleDoc] = Field(min_length=1)


RISK_LEVELS = ("low", "medium", "high")  # a change's risk, from the CMDB's impact; the approval rules' keys


class FreezeDoc(Clause, title="Change freeze"):
    """Days on which no change is implemented (emergency changes excepted), in the reporting time zone."""

    from_: Date = Field(alias="from", description="First frozen day.")
    to: Date = Field(description="Last frozen day.")
    reason: str = ""
    services: list[Name] = Field([], description="The services frozen; all when empty.")

    @model_validator(mode="after")
    def _ends_after_start(self) -> "FreezeDoc":
        if self.to < self.from_:
            raise PydanticCustomError("freeze", f"'to' ({self.to}) is before 'from' ({self.from_})")
        return self


class ChangesDoc(Clause, title="Change management"):
    """Who approves and who implements changes, by which rule per risk, and when nothing may change."""

    advisory_board: Name | None = Field(
        None, description="The customer's team whose members approve changes; default its customer managers."
    )
    implementers: Name | None = Field(
        None, description="The team that implements approved changes; default the provider's staff."
    )
    approval: dict[Literal[RISK_LEVELS], Literal["all", "any"]] = Field(  # type: ignore[valid-type]
        {}, description='Per risk level, whether "all" of the board must approve or "any" one; default any.'
    )
    freezes: list[FreezeDoc] = []


class BillingDoc(Clause, title="Billing"):
    """What the customer pays: a fixed monthly fee and hours per role, net of the month's service credits."""

    currency: Currency = Field(description="The invoice's currency; the credits' fee must be in it too.")
    monthly_fee: Money | None = Field(None, description="The fixed fee of each month; default credits.monthly_fee.")
    rates: dict[Name, Money] = Field(min_length=1, description="Role -> hourly rate in the currency.")
    billable: list[Name] | None = Field(
        None, description="The roles whose hours are billed; default every role with a rate."
    )


class ContractDoc(Clause):
    """A service contract between a customer and its IT outsourcing provider, written as code."""

    model_config = ConfigDict(title="servicepact contract")

    contract: ContractId
    version: int = Field(ge=1)
    title: Name
    customer: Name
    provider: Name
    vendors: list[Name] = Field([], description="Other vendors whose teams work under this contract.")
    effective: EffectiveDoc
    reporting: ReportingDoc
    calendars: dict[Name, CalendarEntry] = Field(min_length=1)
    services: dict[Name, ServiceDoc] = Field(min_length=1)
    priorities: PrioritiesDoc
    clocks: ClocksDoc
    olas: dict[Name, OlaDoc] = Field({}, description="Resolver team -> OLA or underpinning-contract targets.")
    measures: list[MeasureDoc] = []
    maintenance: Name | None = Field(
        None, description="A calendar of agreed maintenance windows: planned outages inside them are not downtime."
    )
    credits: CreditsDoc | None = None
    billing: BillingDoc | None = None
    changes: ChangesDoc | None = Field(None, description="Change management: approval rules and freeze periods.")


def contract_json_schema(known_measures: Iterable[str]) -> dict[str, Any]:
    """The language's JSON Schema (draft 2020-12), for editors and for other tools that write contracts."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **ContractDoc.model_json_schema()}
    calendars = schema["properties"]["calendars"]
    # The validator reads the string 24x7 as the always-open calendar; the schema says so explicitly.
    calendars["additionalProperties"] = {
        "anyOf": [{"const": ALWAYS_OPEN, "description": "Open at every instant."}, calendars["additionalProperties"]]
    }
    schema["$defs"]["MeasureDoc"]["properties"]["measure"]["enum"] = sorted(known_measures)
    return schema
