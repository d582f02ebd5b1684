"""The ledger of issued ticket numbers, filled for the numbers issued before it was kept.

Each number from 1 to the counter's last is recorded, issued at its ticket's creation; a number no ticket
holds any more was issued and its ticket deleted before the ledger existed: it is recorded with no instant,
so ``servicepact events verify`` names it as missing from the first day. The hash is frozen here as the
model computes it (canonical JSON over kind, value, number, issued_at and the previous hash).
"""

import hashlib
import json
from datetime import timezone as dt_timezone

from django.db import migrations, models

PREFIX = {"incident": "INC", "request": "REQ"}
BATCH = 2000


def _hash(kind: str, value: int, number: str, issued_at, prev_hash: str) -> str:
    body = {
        "kind": kind, "value": value, "number": number,
        "issued_at": issued_at.astimezone(dt_timezone.utc).isoformat() if issued_at else None, "prev": prev_hash,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


def record_issued_numbers(apps, schema_editor):
    counter_model = apps.get_model("desk", "TicketCounter")
    issued_model = apps.get_model("desk", "IssuedNumber")
    ticket_model = apps.get_model("desk", "Ticket")
    for counter in counter_model.objects.order_by("kind"):
        prefix = PREFIX.get(counter.kind)
        if prefix is None or counter.last == 0:
            continue
        created = dict(ticket_model.objects.filter(number__startswith=prefix).values_list("number", "created_at"))
        previous, batch = "", []
        for value in range(1, counter.last + 1):
            number = f"{prefix}{value:07d}"
            issued_at = created.get(number)
            digest = _hash(counter.kind, value, number, issued_at, previous)
            batch.append(issued_model(kind=counter.kind, value=value, number=number, issued_at=issued_at,
                                      prev_hash=previous, hash=digest))
            previous = digest
            if len(batch) >= BATCH:
                issued_model.objects.bulk_create(batch)
                batch = []
        issued_model.objects.bulk_create(batch)
        counter_model.objects.filter(pk=counter.pk).update(last_hash=previous)


class Migration(migrations.Migration):

    dependencies = [
        ("desk", "0004_imported_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticketcounter",
            name="last_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.CreateModel(
            name="IssuedNumber",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("incident", "Incident"), ("request", "Service request")],
                                          max_length=16, verbose_name="kind")),
                ("value", models.PositiveBigIntegerField(verbose_name="value")),
                ("number", models.CharField(max_length=16, unique=True, verbose_name="number")),
                ("issued_at", models.DateTimeField(null=True, verbose_name="issued at")),
                ("prev_hash", models.CharField(blank=True, max_length=64)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "issued ticket number",
                "verbose_name_plural": "issued ticket numbers",
                "ordering": ["kind", "value"],
                "constraints": [models.UniqueConstraint(fields=("kind", "value"), name="issued_number_unique")],
            },
        ),
        migrations.RunPython(record_issued_numbers, migrations.RunPython.noop),
    ]
