"""The measure names a contract may use in ``measures[].measure``: the ticket measures (which a report
may also add for review) and ``availability`` (SLA-SPEC section 6), which counts outages.

A module of its own so that the contract loader can check names without importing the measures (which
depend on the clocks, which depend on the contract). docs/measures.md defines each one.
"""

KNOWN_MEASURES: frozenset[str] = frozenset(
    {
        "response_met_ratio",
        "resolution_met_ratio",
        "first_contact_resolution_ratio",
        "reopen_ratio",
        "backlog",
        "backlog_age_p90_s",
        "mean_resolution_business_s",
        "p90_resolution_business_s",
        "ola_met_ratio",
        "vendor_time_share",
        "satisfaction_score",
    }
)

# availability is computed from the outage log (sla/availability.py), never from tickets
CONTRACT_MEASURES: frozenset[str] = KNOWN_MEASURES | {"availability"}
