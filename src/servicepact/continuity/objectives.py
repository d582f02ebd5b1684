"""Recovery objectives by criticality tier, for plans that set none of their own.

Tier 1 services (the business impact analysis's most critical) must be back within 4 hours, losing at
most 1 hour of data; the figures loosen with the tier. A tier beyond the table takes its last row.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Objectives:
    rto_minutes: int  # recovery time objective: back in service within this
    rpo_minutes: int  # recovery point objective: at most this much data lost


TIER_OBJECTIVES = {
    1: Objectives(rto_minutes=4 * 60, rpo_minutes=60),
    2: Objectives(rto_minutes=8 * 60, rpo_minutes=4 * 60),
    3: Objectives(rto_minutes=24 * 60, rpo_minutes=24 * 60),
    4: Objectives(rto_minutes=72 * 60, rpo_minutes=24 * 60),
}


def tier_objectives(tier: int | None) -> Objectives:
    if tier is None:
        return TIER_OBJECTIVES[max(TIER_OBJECTIVES)]
    return TIER_OBJECTIVES.get(tier, TIER_OBJECTIVES[max(TIER_OBJECTIVES)])
