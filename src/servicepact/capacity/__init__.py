"""Capacity from demand: the agents each team needs per hour of the week, from a contract's live tickets
(the kernel's ``sla.capacity``; docs/capacity.md), and what a draft contract's targets would need."""
