"""Finding articles by their words: PostgreSQL's full-text search where the database is PostgreSQL, a
table of terms elsewhere (SQLite); both over the same terms, so both find the same articles.

Terms (``terms_of``): text normalised (NFKC) and case-folded; Latin-script words of two or more letters
(English plurals folded: "passwords" finds "password") and numbers; for Chinese, which has no spaces,
each character and each pair of neighbouring characters, so that 密码 finds 重置密码. Common words carry
nothing and are left out. A query matches an article with any of its terms; articles with more of them,
and rarer ones on PostgreSQL (ts_rank), come first.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, QuerySet

from servicepact.knowledge.models import ArticleTerm, ArticleText

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[^\W\d_]{2,}|\d+")
TERM_MAX = 64
QUERY_TERMS_MAX = 32
STOP = frozenset(
    "the a an and or of to in on for is are was be it its my me we you your our can cannot not no with at by "
    "from this that as do does did has have had i but if so please how what when why".split()
    + list("的了是在我不和有也就都要吗呢吧啊")
)


def _fold(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms_of(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    found: set[str] = set()
    for run in CJK.findall(text):
        found.update(character for character in run if character not in STOP)
        found.update(run[index : index + 2] for index in range(len(run) - 1))
    for word in WORD.findall(CJK.sub(" ", text)):
        if word not in STOP:
            found.add(_fold(word)[:TERM_MAX])
    return sorted(found)


def index_text(text: ArticleText) -> None:
    """Keep ``text``'s terms: on the row (PostgreSQL searches them) and in the term table (SQLite's index)."""
    terms = terms_of(f"{text.title}\n{text.body}")
    ArticleText.objects.filter(pk=text.pk).update(terms=" ".join(terms))
    text.terms = " ".join(terms)
    ArticleTerm.objects.filter(text=text).delete()
    ArticleTerm.objects.bulk_create(ArticleTerm(text=text, term=term) for term in terms)


def matching_texts(texts: QuerySet[ArticleText], query: str) -> QuerySet[ArticleText]:
    """``texts`` that match ``query``, best first; none for a query without terms."""
    terms = terms_of(query)[:QUERY_TERMS_MAX]
    if not terms:
        return texts.none()
    if connection.vendor == "postgresql":
        vector = SearchVector("terms", config="simple")
        wanted = SearchQuery(" | ".join(f"'{term}'" for term in terms), config="simple", search_type="raw")
        matched = texts.annotate(vector=vector).filter(vector=wanted)  # @@, which the GIN index serves
        return matched.annotate(rank=SearchRank(vector, wanted)).order_by("-rank", "-pk")
    # Filtered first, the count counts the matching terms of each text (one row per text).
    matched = texts.filter(index_terms__term__in=terms)
    return matched.annotate(rank=Count("index_terms")).order_by("-rank", "-pk")
