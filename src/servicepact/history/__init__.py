"""The history of every record that needs one besides tickets: an append-only, hash-chained log per record.

A configuration item, a problem, a change, an outage... each keeps its history here, one mechanism for
all. ``actions.record`` appends an entry to a record's chain inside the caller's transaction; each entry's
hash covers its content and the previous entry's hash, as a ticket's events do (servicepact/desk/
hashchain.py), and ``HistoryHead`` keeps each chain's tail so a removed last entry shows too.
``verification`` finds every break. Entries are written once: the models refuse changes and the database
refuses UPDATE and DELETE (servicepact/evidence/guard.py).

A model whose records keep a history says so with ``keeps_history = True``: the access layer then lets a
person read the history of exactly the records of that model they may see (``visible_to``).
"""
