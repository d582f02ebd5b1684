"""Searching tickets: a number, or every word somewhere in the title, description, requester or public replies.

On PostgreSQL the title and description, and the public replies, are matched by full-text search on
indexed ``tsvector`` expressions (GIN indexes made by desk's migration 0010, the ``simple`` configuration:
no stemming and no stop words, so a ticket written in any language is found by its words, and each
search word matches as a prefix: "print" finds "printer"). A word written in Chinese or Japanese is
looked up as a substring instead, as PostgreSQL's parser does not cut such text into words. On SQLite
every word is a case-insensitive substring: the words of three characters or more are looked up together
in a trigram index (an FTS5 table of each ticket's title, description and public replies kept by
triggers, desk's migration 0011), which leaves only the shorter words and the requesters to be matched
among the tickets it finds. Internal notes never make a ticket match.
"""

import re

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform

from servicepact.accounts.models import User
from servicepact.desk.models import EventType, TicketEvent

CONFIG = "simple"
WORDS = re.compile(r"\w+")
# Scripts written without spaces between words: matched as substrings.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def ticket_vector() -> SearchVector:
    return SearchVector("title", "description", config=CONFIG)


def reply_vector() -> SearchVector:
    return SearchVector(KeyTextTransform("body", "data"), config=CONFIG)


def public_replies() -> Q:
    return Q(type=EventType.REPLIED, public=True)


# The indexes the full-text search reads (PostgreSQL only; created by a migration).
TICKET_INDEX = "ticket_search_text"
REPLY_INDEX = "ticket_event_reply_text"


def ticket_index() -> GinIndex:
    return GinIndex(ticket_vector(), name=TICKET_INDEX)


def reply_index() -> GinIndex:
    return GinIndex(reply_vector(), name=REPLY_INDEX, condition=public_replies())


def search(text: str) -> Q:
    """The tickets whose number is ``text``, or that hold every word of it (see the module's text)."""
    number = text.strip().upper()
    if connection.vendor == "postgresql":
        every_word = Q()
        for word in _words(text):
            every_word &= _substring_word(word) if UNSPACED.search(word) else _full_text_word(word)
        return Q(number=number) | every_word
    return _trigram_search(number, text.split())


def _words(text: str) -> list[str]:
    """The words of ``text`` as the full-text parser reads them; a word in an unspaced script stays whole."""
    words = []
    for chunk in text.split():
        words += [chunk] if UNSPACED.search(chunk) else WORDS.findall(chunk)
    return words


def _people(word: str):
    return User.objects.filter(Q(full_name__icontains=word) | Q(email__icontains=word))


def _requester(word: str) -> Q:
    return Q(requester_id__in=_people(word).values("pk"))


def _full_text_word(word: str) -> Q:
    query = SearchQuery(f"'{word.lower()}':*", search_type="raw", config=CONFIG)
    replies = TicketEvent.objects.filter(public_replies(), ticket=OuterRef("pk")).alias(text=reply_vector())
    return Q(SearchVectorExact(ticket_vector(), query)) | _requester(word) | Exists(replies.filter(text=query))


# The shortest word the SQLite trigram indexes can look up.
TRIGRAM = 3


def _trigram_search(number: str, words: list[str]) -> Q:
    """``search`` on SQLite. The tickets that can match (the number's and those whose text holds every word
    no requester's name or address holds) are one list of ids, which the database reads first; the other
    words are then checked on those tickets only. Only when every word may be a requester's are the tickets
    read one by one."""
    rest, together = Q(), []
    for word in words:
        if len(word) < TRIGRAM:
            rest &= _substring_word(word)
        elif _people(word).exists():
            rest &= _in_ticket_text([word]) | _requester(word)
        else:
            together.append(word)  # found in the ticket's text only: one match for all of them
    if not together:
        return Q(number=number) | rest
    candidates = RawSQL(
        "SELECT id FROM desk_ticket WHERE number = %s UNION SELECT rowid FROM desk_ticket_text WHERE desk_ticket_text MATCH %s",
        [number, _match(together)],
    )
    if not rest:
        return Q(pk__in=candidates)
    return Q(pk__in=candidates) & (Q(number=number) | rest)


def _match(words: list[str]) -> str:
    # FTS5's quoted strings: each word as it is, whatever characters it holds
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def _in_ticket_text(words: list[str]) -> Q:
    return Q(pk__in=RawSQL("SELECT rowid FROM desk_ticket_text WHERE desk_ticket_text MATCH %s", [_match(words)]))


def _substring_word(word: str) -> Q:
    replies = TicketEvent.objects.filter(public_replies(), ticket=OuterRef("pk"), data__body__icontains=word)
    return (
        Q(title__icontains=word)
        | Q(description__icontains=word)
        | Q(requester__full_name__icontains=word)
        | Q(requester__email__icontains=word)
        | Exists(replies)
    )
