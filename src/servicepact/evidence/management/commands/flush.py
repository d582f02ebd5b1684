"""``servicepact flush``: Django's flush, through the write-once guard's maintenance path.

A flush empties every table, written-once ones included: that is what it is for (Django's transactional
tests run it after each test). It passes the guard openly, as the one privileged path does
(servicepact/evidence/guard.py); a flushed database holds nothing that a kept checkpoint would not miss.
"""

from django.core.management.commands import flush

from servicepact.evidence import guard


class Command(flush.Command):
    help = flush.Command.help + " Written-once tables are emptied too, through the guard's maintenance path."

    def handle(self, **options):
        using = options["database"]
        if not guard.gate_exists(using):
            return super().handle(**options)
        with guard.maintenance("flush", using=using):
            return super().handle(**options)
