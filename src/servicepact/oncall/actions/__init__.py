"""Every write of on-call: planning (rotations, overrides, policies) and paging (pages, steps, answers)."""

from servicepact.oncall.actions.paging import acknowledge_page, page_for_warning, resolve_page, start_page
from servicepact.oncall.actions.planning import add_override, save_policy, save_rotation

__all__ = [
    "acknowledge_page",
    "add_override",
    "page_for_warning",
    "resolve_page",
    "save_policy",
    "save_rotation",
    "start_page",
]
