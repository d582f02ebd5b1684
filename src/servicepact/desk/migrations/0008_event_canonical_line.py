"""Each ticket event keeps its line of the SLA kernel's canonical log (``TicketEvent.canonical``).

The existing events get theirs here, in batches of ``BATCH`` events, each batch its own transaction
through the write-once guard's maintenance gate (the column is derived from the event and changes no
part of it that the hash chain covers).
"""

from django.db import migrations, models

from servicepact.desk.eventlog import canonical_line
from servicepact.evidence import guard

BATCH = 5000


def fill_canonical_lines(apps, schema_editor):
    TicketEvent = apps.get_model("desk", "TicketEvent")
    alias = schema_editor.connection.alias
    table = schema_editor.connection.ops.quote_name(TicketEvent._meta.db_table)
    update = f"UPDATE {table} SET canonical = %s WHERE id = %s"
    last = 0
    while True:
        rows = list(
            TicketEvent.objects.using(alias)
            .filter(pk__gt=last, canonical__isnull=True)
            .order_by("pk")
            .values_list("pk", "ticket__number", "type", "at", "data")[:BATCH]
        )
        if not rows:
            return
        values = []
        for pk, number, event_type, at, data in rows:
            try:
                line = canonical_line(number, event_type, at, data)
            except (KeyError, TypeError, AttributeError):
                continue  # left null: computed when read, and refused there as before
            values.append((line, pk))
        with guard.maintenance("ticket events: canonical lines", using=alias):
            with schema_editor.connection.cursor() as cursor:
                cursor.executemany(update, values)
        last = rows[-1][0]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("desk", "0007_canned_replies"),
        ("evidence", "0001_write_once_guard"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticketevent",
            name="canonical",
            field=models.BinaryField(editable=False, null=True, verbose_name="canonical line"),
        ),
        migrations.RunPython(fill_canonical_lines, migrations.RunPython.noop),
    ]
