from servicepact.billing.models.invoice import Invoice
from servicepact.billing.models.time import TimeEntry, WeekApproval

__all__ = ["Invoice", "TimeEntry", "WeekApproval"]
