"""Tamper evidence that holds against someone with the database (docs/checkpoints.md).

- ``guard``: the database itself refuses UPDATE and DELETE of written-once rows (triggers), with one
  privileged maintenance path.
- ``merkle``, ``statement``, ``verification``: the checkpoint format and its verifier, plain Python (no
  Django), so that what is signed and what a third party checks are one code.
- ``signing``: the provider's Ed25519 key.
- ``hashed_log``: the event log with its hashes, as verification reads it (``events export --chain``).
- ``models``, ``actions``, ``queries``, ``tasks``, ``views``: checkpoints taken (on schedule, with every
  stored report, on demand), signed, kept write-once, and offered to the customer.
- ``checking``: ``servicepact events verify --checkpoint``.
"""
