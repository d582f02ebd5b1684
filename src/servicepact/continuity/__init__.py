"""Service continuity: a recovery plan per business service of a contract, with its recovery time and point
objectives, and the plan's tests with their dates and results.

The objectives come from the service's criticality tier (``objectives.TIER_OBJECTIVES``) unless the plan
sets its own. A tier-1 service is covered for a year when its plan passed a test dated in that year; the
coverage page lists those that are not. Every write is an action that appends to the plan's history.
"""
