"""Full-text search indexes of tickets and their public replies, on PostgreSQL only (servicepact/desk/search.py).

SQLite searches by substring and needs none. The indexes are expressions over existing columns, so the
models do not name them; this migration makes them where the database is PostgreSQL.
"""

from django.db import migrations

from servicepact.desk import search


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("desk", "Ticket"), search.ticket_index())
    schema_editor.add_index(apps.get_model("desk", "TicketEvent"), search.reply_index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("desk", "Ticket"), search.ticket_index())
    schema_editor.remove_index(apps.get_model("desk", "TicketEvent"), search.reply_index())


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0009_ticket_links_and_merges"),
    ]

    operations = [migrations.RunPython(create, drop)]
