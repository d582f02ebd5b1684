"""The database refuses UPDATE and DELETE of written-once rows (servicepact/evidence/guard.py).

Ticket events, the ledger of issued numbers, stored reports with the versions and logs they read,
restatements, and contract versions once signed (a draft still changes; the UPDATE that signs it passes).
"""

from django.db import migrations

from servicepact.evidence import guard


class Migration(migrations.Migration):

    dependencies = [
        ("contracts", "0002_services_from_versions"),
        ("desk", "0005_issued_numbers"),
        ("slm", "0004_report_inputs"),
    ]

    operations = [
        guard.create_gate(),
        guard.install(
            guard.Guarded("desk_ticketevent"),
            guard.Guarded("desk_issuednumber"),
            guard.Guarded("slm_storedreport"),
            guard.Guarded("slm_storedreport_input_versions"),
            guard.Guarded("slm_reportlog"),
            guard.Guarded("slm_restatement"),
            guard.Guarded("contracts_contractversion", final_when="OLD.status = 'signed'"),
        ),
    ]
