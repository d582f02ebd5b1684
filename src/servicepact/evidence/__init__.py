"""Tamper evidence that holds against someone with the database.

- ``guard``: the database itself refuses UPDATE and DELETE of written-once rows (triggers), with one
  privileged maintenance path.
"""
