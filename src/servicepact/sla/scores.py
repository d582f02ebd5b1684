"""Satisfaction scores as a report input: their canonical form and digest, like the event and outage logs.

Scores are given as a JSON object of ticket id to number (``report --scores FILE``) and read as exact
decimals. Their canonical form, hashed into the report's ``digest.scores_sha256``, is that object written
with its keys (ticket ids) in ascending order of code point, no whitespace, each score as its shortest exact
decimal (``4``, ``4.5``, never ``4.50`` or ``4.0``), non-ASCII characters of ids as UTF-8 (not escaped),
and one newline at the end: ``{"INC0001":4,"INC0002":4.5}\\n``. It is itself a valid ``--scores`` file.
"""

import hashlib
import json
from collections.abc import Mapping
from fractions import Fraction

from servicepact.sla.contract_values import format_number


def canonical_scores(scores: Mapping[str, Fraction]) -> bytes:
    entries = (
        f"{json.dumps(ticket, ensure_ascii=False)}:{format_number(Fraction(scores[ticket]))}"
        for ticket in sorted(scores)
    )
    return ("{" + ",".join(entries) + "}\n").encode()


def scores_digest(scores: Mapping[str, Fraction]) -> str:
    """``scores_sha256``: the SHA-256 of the canonical scores."""
    return hashlib.sha256(canonical_scores(scores)).hexdigest()
