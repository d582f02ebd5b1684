"""Availability (SLA-SPEC section 6): outages of a contract's business services.

An outage is recorded by the provider's staff (by hand here; later also from major incidents and changes),
seen by both parties of the contract, and counted by the contract's availability measures in stored
reports. Every write is an action that appends to the outage's hash-chained history (servicepact/history);
``servicepact events export --outages`` writes them in the specification's outage-log format.
"""
