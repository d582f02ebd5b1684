"""Substring indexes of tickets and their public replies on SQLite (servicepact/desk/search.py).

FTS5 tables with the trigram tokenizer, kept by triggers: a ticket's title and description (row id = the
ticket's), and each public reply's body with its ticket. PostgreSQL has its own indexes (migration 0010)
and needs none of this.
"""

from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE desk_ticket_text USING fts5(title, description, tokenize='trigram')",
    "INSERT INTO desk_ticket_text(rowid, title, description) SELECT id, title, description FROM desk_ticket",
    """CREATE TRIGGER desk_ticket_text_insert AFTER INSERT ON desk_ticket BEGIN
        INSERT INTO desk_ticket_text(rowid, title, description) VALUES (new.id, new.title, new.description);
    END""",
    """CREATE TRIGGER desk_ticket_text_update AFTER UPDATE OF title, description ON desk_ticket BEGIN
        UPDATE desk_ticket_text SET title = new.title, description = new.description WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER desk_ticket_text_delete AFTER DELETE ON desk_ticket BEGIN
        DELETE FROM desk_ticket_text WHERE rowid = old.id;
    END""",
    "CREATE VIRTUAL TABLE desk_reply_text USING fts5(body, ticket_id UNINDEXED, tokenize='trigram')",
    """INSERT INTO desk_reply_text(rowid, body, ticket_id)
        SELECT id, json_extract(data, '$.body'), ticket_id FROM desk_ticketevent WHERE type = 'replied' AND public""",
    """CREATE TRIGGER desk_reply_text_insert AFTER INSERT ON desk_ticketevent
        WHEN new.type = 'replied' AND new.public BEGIN
        INSERT INTO desk_reply_text(rowid, body, ticket_id)
            VALUES (new.id, json_extract(new.data, '$.body'), new.ticket_id);
    END""",
    """CREATE TRIGGER desk_reply_text_delete AFTER DELETE ON desk_ticketevent
        WHEN old.type = 'replied' AND old.public BEGIN
        DELETE FROM desk_reply_text WHERE rowid = old.id;
    END""",
]
DROP = [
    "DROP TRIGGER desk_reply_text_delete",
    "DROP TRIGGER desk_reply_text_insert",
    "DROP TABLE desk_reply_text",
    "DROP TRIGGER desk_ticket_text_delete",
    "DROP TRIGGER desk_ticket_text_update",
    "DROP TRIGGER desk_ticket_text_insert",
    "DROP TABLE desk_ticket_text",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0010_ticket_search_indexes"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
