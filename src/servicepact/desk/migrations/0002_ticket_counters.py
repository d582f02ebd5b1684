"""A counter row per ticket kind, so that numbering only ever locks existing rows."""

from django.db import migrations

KINDS = ("incident", "request")


def create_counters(apps, schema_editor):
    counter = apps.get_model("desk", "TicketCounter")
    for kind in KINDS:
        counter.objects.get_or_create(kind=kind, defaults={"last": 0})


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]

    operations = [migrations.RunPython(create_counters, migrations.RunPython.noop)]
