"""Live clocks: the SLA kernel's clock states of a ticket, stored in the same transaction as its events."""

from datetime import datetime


def refresh_clocks(ticket, at: datetime) -> None:
    """Recompute and store every clock of ``ticket`` as of ``at`` (called by every desk action)."""
