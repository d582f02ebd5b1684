"""Substring indexes of tickets and their public replies on SQLite (servicepact/desk/search.py).

An FTS5 table with the trigram tokenizer, kept by triggers: a row per ticket (row id = the ticket's) with
its title, description and public replies, so that one match finds a ticket holding every word. PostgreSQL
has its own indexes (migration 0010) and needs none of this.
"""

from django.db import migrations

# A word of a search holds no white space, so the newline between two replies is never inside a match.
REPLIES_OF = """(SELECT group_concat(json_extract(data, '$.body'), char(10)) FROM desk_ticketevent
    WHERE ticket_id = {ticket} AND type = 'replied' AND public)"""
CREATE = [
    "CREATE VIRTUAL TABLE desk_ticket_text USING fts5(title, description, replies, tokenize='trigram')",
    f"""INSERT INTO desk_ticket_text(rowid, title, description, replies)
        SELECT id, title, description, {REPLIES_OF.format(ticket="desk_ticket.id")} FROM desk_ticket""",
    """CREATE TRIGGER desk_ticket_text_insert AFTER INSERT ON desk_ticket BEGIN
        INSERT INTO desk_ticket_text(rowid, title, description, replies) VALUES (new.id, new.title, new.description, '');
    END""",
    """CREATE TRIGGER desk_ticket_text_update AFTER UPDATE OF title, description ON desk_ticket BEGIN
        UPDATE desk_ticket_text SET title = new.title, description = new.description WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER desk_ticket_text_delete AFTER DELETE ON desk_ticket BEGIN
        DELETE FROM desk_ticket_text WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER desk_ticket_text_reply AFTER INSERT ON desk_ticketevent
        WHEN new.type = 'replied' AND new.public BEGIN
        UPDATE desk_ticket_text SET replies = coalesce(nullif(replies, '') || char(10), '')
            || coalesce(json_extract(new.data, '$.body'), '') WHERE rowid = new.ticket_id;
    END""",
    f"""CREATE TRIGGER desk_ticket_text_reply_removed AFTER DELETE ON desk_ticketevent
        WHEN old.type = 'replied' AND old.public BEGIN
        UPDATE desk_ticket_text SET replies = coalesce({REPLIES_OF.format(ticket="old.ticket_id")}, '')
            WHERE rowid = old.ticket_id;
    END""",
]
DROP = [
    "DROP TRIGGER desk_ticket_text_reply_removed",
    "DROP TRIGGER desk_ticket_text_reply",
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
