from servicepact.availability.models.outage import Outage, OutageHistory

__all__ = ["Outage", "OutageHistory"]
