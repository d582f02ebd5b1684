"""Service credits of a month, from the month's measure values.

A rule applies when its measure's exact value is strictly below the rule's ``below``; a measure with no
value (nothing to count) triggers no rule. Per measure the largest applicable credit counts, the total is
the sum over measures capped at ``cap``, and the amount is the total times the monthly fee, rounded
half-up to cents. Percentages are printed as numbers (5 for 5%), the fee and amount as decimal strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from servicepact.sla.measures import json_number, round_half_up

if TYPE_CHECKING:
    from servicepact.sla.contract import CreditsDef


def compute_credits(
    credits: CreditsDef, values: Mapping[str, Fraction | int | None], places: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The report's ``credits`` object; ``values`` maps a measure id to its exact value for the month,
    ``places`` a measure id to the decimals its values are printed with (4 when not given)."""
    applicable = []
    percent_by_measure: dict[str, Fraction] = {}
    for rule in credits.rules:
        value = values.get(rule.measure)
        if value is None or not Fraction(value) < rule.below:
            continue
        decimals = (places or {}).get(rule.measure, 4)
        applicable.append(
            {
                "measure": rule.measure,
                "value": json_number(value, decimals),
                "below": json_number(rule.below, decimals),
                "credit_percent": percent(rule.credit),
            }
        )
        percent_by_measure[rule.measure] = max(percent_by_measure.get(rule.measure, Fraction(0)), rule.credit)
    before_cap = sum(percent_by_measure.values(), Fraction(0))
    total = min(before_cap, credits.cap)
    fee = Fraction(Decimal(credits.monthly_fee_amount))
    return {
        "currency": credits.currency,
        "monthly_fee": decimal_text_2(fee),
        "rules": applicable,
        "applied": [{"measure": measure, "percent": percent(credit)} for measure, credit in percent_by_measure.items()],
        "total_before_cap_percent": percent(before_cap),
        "cap_percent": percent(credits.cap),
        "total_percent": percent(total),
        "amount": decimal_text_2(total * fee),
    }


def percent(share: Fraction) -> int | float | None:
    return json_number(share * 100)


def decimal_text_2(amount: Fraction) -> str:
    """A money amount with exactly two decimals, rounded half-up."""
    return str(round_half_up(amount, 2))
