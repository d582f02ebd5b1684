"""Reading knowledge: suggestions for a text, an article's text in the reader's language, deflection."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet

from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.knowledge.models import Article, ArticleStatus, ArticleText, ArticleView
from servicepact.knowledge.search import matching_texts

# A requester who opened a suggested article and opened no ticket within this time was answered by it.
DEFLECTION_MINUTES = 30


def with_texts(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.prefetch_related(Prefetch("texts", queryset=ArticleText.objects.order_by("language")))


def search_articles(articles: QuerySet[Article], query: str, limit: int = 20) -> list[Article]:
    """``articles`` whose texts match ``query``, best first, each once."""
    texts = matching_texts(ArticleText.objects.filter(article__in=articles.values("pk")), query)
    order: list[int] = []
    for article_id in texts.values_list("article_id", flat=True)[: limit * 3]:
        if article_id not in order:
            order.append(article_id)
    found = {article.pk: article for article in with_texts(articles.filter(pk__in=order[:limit]))}
    return [found[pk] for pk in order[:limit] if pk in found]


def suggestions(articles: QuerySet[Article], contract: Contract, text: str, limit: int = 5) -> list[Article]:
    """The published articles of ``contract`` (among ``articles``, those the person sees) matching ``text``."""
    published = articles.filter(contract=contract, status=ArticleStatus.PUBLISHED)
    return search_articles(published, text, limit)


@dataclass
class Deflection:
    opened: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.opened if self.opened else None


def deflection(views: QuerySet[ArticleView], contract: Contract, since: datetime, now: datetime) -> Deflection:
    """Suggested articles of ``contract`` opened since ``since`` and how many were followed by no ticket of
    the same person and contract within ``DEFLECTION_MINUTES`` (views too recent to tell are left out)."""
    window = timedelta(minutes=DEFLECTION_MINUTES)
    rows = list(
        views.filter(article__contract=contract, viewed_at__gte=since, viewed_at__lte=now - window).values_list(
            "person_id", "viewed_at"
        )
    )
    people = {person for person, _ in rows}
    created: dict[int, list[datetime]] = {}
    tickets = Ticket.objects.filter(contract=contract, requester_id__in=people, created_at__gte=since)
    for requester, at in tickets.values_list("requester_id", "created_at"):
        created.setdefault(requester, []).append(at)
    answered = sum(
        1 for person, viewed in rows if not any(viewed <= at <= viewed + window for at in created.get(person, ()))
    )
    return Deflection(len(rows), answered)
