"""What each measure of a contract means, for people reading a report: its formula, frequency, baseline,
target and who measures it, as the contract and docs/measures.md define them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.sla.measures import decimal_text

FORMULAS = {
    "response_met_ratio": _(
        "Response clocks stopped in the period that met their target, divided by all response clocks stopped "
        "in the period (met + breached)."
    ),
    "resolution_met_ratio": _(
        "Resolution clocks stopped in the period that met their target, divided by all resolution clocks "
        "stopped in the period (met + breached)."
    ),
    "first_contact_resolution_ratio": _(
        "Of the tickets whose resolution clock stopped in the period, the share never assigned to another "
        "team and never reopened."
    ),
    "reopen_ratio": _("Of the tickets whose resolution clock stopped in the period, the share reopened at least once."),
    "backlog": _("Tickets open at the end of the period."),
    "backlog_age_p90_s": _("90th percentile of the age of the tickets open at the end of the period, in seconds."),
    "mean_resolution_business_s": _("Mean business seconds of the resolution clocks stopped in the period."),
    "p90_resolution_business_s": _(
        "90th percentile of the business seconds of the resolution clocks stopped in the period."
    ),
    "ola_met_ratio": _(
        "OLA clocks stopped in the period that met their target, divided by all OLA clocks stopped in it."
    ),
    "vendor_time_share": _("Share of the resolution business time during which a vendor team held the ticket."),
    "satisfaction_score": _("Mean survey score of the tickets whose resolution clock stopped in the period."),
    "availability": _(
        "Agreed service time less the downtime, divided by the agreed service time: the open hours of the "
        "measure's calendar less planned outages in the maintenance windows; downtime is that time covered by "
        "any outage of the service."
    ),
}
FREQUENCIES = {"daily": _("Daily"), "weekly": _("Weekly"), "monthly": _("Monthly")}


@dataclass(frozen=True)
class MeasureDefinition:
    id: str
    measure: str
    formula: str
    frequency: str
    baseline: str
    target: str
    measured_by: str
    exclusions: str
    description: str


def measure_definitions(terms: KernelContract) -> dict[str, MeasureDefinition]:
    """Per measure id, its definition in the contract ``terms``."""
    definitions = {}
    for measure in terms.measures:
        exclusions = "; ".join(f"{field} = {', '.join(values)}" for field, values in sorted(measure.exclude.items()))
        definitions[measure.id] = MeasureDefinition(
            id=measure.id,
            measure=measure.measure,
            formula=str(FORMULAS.get(measure.measure, measure.measure)),
            frequency=str(FREQUENCIES.get(measure.frequency, measure.frequency)),
            baseline="" if measure.baseline is None else decimal_text(measure.baseline),
            target=f"{measure.target.op} {decimal_text(measure.target.value)}",
            measured_by=measure.measured_by,
            exclusions=exclusions,
            description=measure.description,
        )
    return definitions
