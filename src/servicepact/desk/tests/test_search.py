"""Searching tickets by number, title, description, replies and requester, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVectorExact
from django.db import connection

from servicepact.desk import actions
from servicepact.desk import filters as ticket_filters
from servicepact.desk.models import Ticket
from servicepact.desk.search import CONFIG, REPLY_INDEX, TICKET_INDEX, ticket_vector

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def tickets(world):
    agent = world.people["agent"]

    def report(title, description, minutes, requester="requester"):
        return actions.create_ticket(
            actor=world.people[requester],
            contract=world.contract,
            service=world.services["sap-erp"],
            title=title,
            description=description,
            impact="low",
            urgency="low",
            at=MONDAY + timedelta(minutes=minutes),
        )

    printer = report("Printer on floor 3 jams", "Paper jam in tray two since Monday.", 1)
    posting = report("Posting run fails", "The nightly SAP posting stops at 02:00.", 2, requester="customer-manager")
    chinese = report("打印机无法打印", "三楼的打印机一直卡纸。", 3)
    actions.reply(posting, actor=agent, body="We restarted the batch server; please check tomorrow's invoices.")
    actions.add_note(printer, actor=agent, body="Secret vendor escalation code 4711.")
    return {"printer": printer, "posting": posting, "chinese": chinese, "agent": agent}


def found(tickets, text) -> set[str]:
    visible = Ticket.objects.visible_to(tickets["agent"])
    matched = ticket_filters.apply(visible, ticket_filters.TicketFilters(q=text), tickets["agent"])
    names = {ticket.pk: name for name, ticket in tickets.items() if name != "agent"}
    return {names[pk] for pk in matched.values_list("pk", flat=True)}


def test_every_field_is_searched_and_every_word_must_match(tickets):
    assert found(tickets, tickets["posting"].number) == {"posting"}
    assert found(tickets, tickets["posting"].number.lower()) == {"posting"}
    assert found(tickets, "printer") == {"printer"}
    assert found(tickets, "print") == {"printer"}  # a word's beginning is enough
    assert found(tickets, "tray jam") == {"printer"}  # the description; words in any order
    assert found(tickets, "jam posting") == set()  # every word must be found
    assert found(tickets, "invoices batch") == {"posting"}  # a public reply
    assert found(tickets, "Customer Manager") == {"posting"}  # the requester's name
    assert found(tickets, "customer-manager@example") == {"posting"}  # ... or address
    assert found(tickets, "打印机") == {"chinese"}  # Chinese, written without spaces
    assert found(tickets, "卡纸") == {"chinese"}
    assert found(tickets, "SAP 02:00") == {"posting"}


def test_internal_notes_never_make_a_ticket_match(tickets):
    assert found(tickets, "4711") == set()
    assert found(tickets, "escalation") == set()


def test_odd_input_is_searched_as_text(tickets):
    for text in ("'", "a:*", "!", "(", "&|", "' OR 1=1 --", "\\"):
        assert found(tickets, text) <= {"printer", "posting", "chinese"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text indexes exist on PostgreSQL only")
def test_postgresql_has_the_full_text_indexes_and_the_search_reads_them(tickets):
    query = SearchQuery("'printer':*", search_type="raw", config=CONFIG)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname IN (%s, %s)", [TICKET_INDEX, REPLY_INDEX])
        assert {row[0] for row in cursor.fetchall()} == {TICKET_INDEX, REPLY_INDEX}
        cursor.execute("SET enable_seqscan = off")
        try:
            # The search's expression over the title and description is the indexed one ...
            plain = Ticket.objects.filter(SearchVectorExact(ticket_vector(), query)).order_by().explain()
            # ... and the whole search reads the public replies through their index.
            whole = ticket_filters.apply(
                Ticket.objects.all(), ticket_filters.TicketFilters(q="printer"), tickets["agent"]
            ).explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert TICKET_INDEX in plain, plain
    assert REPLY_INDEX in whole, whole


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the trigram table exists on SQLite only")
def test_sqlite_looks_words_up_in_the_trigram_table_kept_by_triggers(tickets):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, title, description, replies FROM desk_ticket_text ORDER BY rowid")
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    assert set(rows) == set(Ticket.objects.values_list("pk", flat=True))
    assert rows[tickets["posting"].pk][2] == "We restarted the batch server; please check tomorrow's invoices."
    assert rows[tickets["printer"].pk][2] == ""  # the internal note is not there
    actions.reply(tickets["posting"], actor=tickets["agent"], body="Second reply: the invoices are out.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT replies FROM desk_ticket_text WHERE rowid = %s", [tickets["posting"].pk])
        assert cursor.fetchone()[0].split("\n")[1] == "Second reply: the invoices are out."
    plan = ticket_filters.apply(
        Ticket.objects.all(), ticket_filters.TicketFilters(q="invoices tomorrow"), tickets["agent"]
    ).explain()
    assert "desk_ticket_text VIRTUAL TABLE" in plan, plan
    assert found(tickets, "tomorrow out.") == {"posting"}  # words of two replies
    assert found(tickets, 'tray "two') == set()  # a quote is a character of the word
    assert found(tickets, "PRINTER jams") == {"printer"}
    assert found(tickets, "manager posting") == {"posting"}  # one word in the requester, one in the title
