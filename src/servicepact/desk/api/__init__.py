"""The desk's part of the REST API: tickets and every action on them."""

from servicepact.desk.api import ticket_actions, tickets  # noqa: F401  (each registers its operations)
from servicepact.desk.api.router import router

__all__ = ["router"]
