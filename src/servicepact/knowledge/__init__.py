"""Knowledge: articles per contract, in English and Chinese, that answer questions before they become tickets.

- **Life.** An article is written as a draft by the provider's staff, sent for review, and published by a
  team lead or administrator of the provider other than its author; a published article can be retired.
  Each step is an entry of the article's history (servicepact/history). A problem's known error can be
  published as an article: its symptoms and workaround become the text.
- **Texts.** One text per language (English, Simplified Chinese); a reader gets their language's text
  and falls back to the other.
- **Search** (``search.py``): on PostgreSQL, full-text search over each text's indexed terms (a GIN index,
  ranked); on SQLite, a table of the same terms. Terms are the words of Latin scripts, lower-cased, and
  for Chinese, which has no spaces, each character and each pair of neighbouring characters.
- **Suggestions.** Requesters see matching published articles while they type a new ticket; agents see
  them on a ticket's page and link one to the ticket.
- **Deflection.** A requester who opens a suggested article from the new-ticket form and then opens no
  ticket of that contract within ``DEFLECTION_MINUTES`` counts as a question the knowledge answered.
"""
