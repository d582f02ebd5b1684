"""Capacity is computed from tickets and contract versions on demand; it keeps no rows of its own."""
