"""Every write of the knowledge app: writing, reviewing, publishing and retiring articles, linking them to
tickets, and noting an article opened from the new-ticket form. Each in one transaction, each step of an
article an entry of its history."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.history.actions import record
from servicepact.knowledge.models import Article, ArticleHistory, ArticleLink, ArticleStatus, ArticleText, ArticleView
from servicepact.knowledge.search import index_text
from servicepact.permissions import can_work_ticket
from servicepact.permissions.knowledge import (
    can_edit_article,
    can_publish_article,
    can_retire_article,
    writes_articles,
)
from servicepact.refusals import ActionRefused

TITLE_MAX = ArticleText._meta.get_field("title").max_length
BODY_MAX = 20000
LANGUAGES = dict(settings.LANGUAGES)


def _texts(language: str, title: str, body: str) -> tuple[str, str]:
    title, body = " ".join((title or "").split()), (body or "").strip()
    errors = {}
    if language not in LANGUAGES:
        errors["language"] = [_("Choose English or Simplified Chinese.")]
    if not title or len(title) > TITLE_MAX:
        errors["title"] = [_("A title of at most %(count)s characters is required.") % {"count": TITLE_MAX}]
    if not body or len(body) > BODY_MAX or "\x00" in body:
        errors["body"] = [_("A text of at most %(count)s characters is required.") % {"count": BODY_MAX}]
    if errors:
        raise ActionRefused(_("The article was not saved."), errors=errors)
    return title, body


def write_article(
    contract: Contract,
    *,
    actor: User,
    language: str,
    title: str,
    body: str,
    article: Article | None = None,
    at: datetime | None = None,
) -> Article:
    """A new draft of ``contract``, or the text in ``language`` of ``article`` (a draft or in review)."""
    at = at or timezone.now()
    if article is None and not writes_articles(actor, contract):
        raise PermissionDenied(_("Only the provider's staff write the contract's articles."))
    if article is not None and not can_edit_article(actor, article):
        raise PermissionDenied(_("This article cannot be changed now."))
    title, body = _texts(language, title, body)
    with transaction.atomic():
        if article is None:
            article = Article.objects.create(contract=contract, author=actor, created_at=at, updated_at=at)
        else:
            article = Article.objects.select_for_update().get(pk=article.pk)
            article.updated_at = at
            article.save(update_fields=["updated_at"])
        text, _created = ArticleText.objects.update_or_create(
            article=article, language=language, defaults={"title": title, "body": body}
        )
        index_text(text)
        record(article, type=ArticleHistory.WRITTEN, actor=actor, at=at, data={"language": language, "title": title})
    return article


def _move(
    article: Article, *, actor: User, to: str, entry: str, at: datetime | None, allowed, from_status: str, **fields
) -> Article:
    """Move the article (as stored, locked) from ``from_status`` to ``to`` if ``allowed(actor, article)``."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Article.objects.select_for_update().select_related("contract").get(pk=article.pk)
        if not allowed(actor, locked):
            raise PermissionDenied(_("You may not do this with this article."))
        if locked.status != from_status:
            message = _("The article is %(status)s; this step needs it %(needed)s.") % {
                "status": locked.get_status_display(),
                "needed": ArticleStatus(from_status).label,
            }
            raise ActionRefused(message, errors={"status": [message]}, status=409)
        for name, value in fields.items():
            setattr(locked, name, value(at) if callable(value) else value)
        locked.status, locked.updated_at = to, at
        locked.save()
        record(locked, type=entry, actor=actor, at=at, data={"status": to})
    return locked


def submit_for_review(article: Article, *, actor: User, at: datetime | None = None) -> Article:
    """The author's side sends a draft for review."""
    return _move(
        article,
        actor=actor,
        to=ArticleStatus.REVIEW,
        entry=ArticleHistory.SUBMITTED,
        at=at,
        allowed=can_edit_article,
        from_status=ArticleStatus.DRAFT,
    )


def publish(article: Article, *, actor: User, at: datetime | None = None) -> Article:
    """A team lead or administrator of the provider, not the author, publishes an article in review."""
    return _move(
        article,
        actor=actor,
        to=ArticleStatus.PUBLISHED,
        entry=ArticleHistory.PUBLISHED,
        at=at,
        allowed=can_publish_article,
        from_status=ArticleStatus.REVIEW,
        reviewer=actor,
        published_at=lambda t: t,
    )


def return_to_author(article: Article, *, actor: User, at: datetime | None = None) -> Article:
    return _move(
        article,
        actor=actor,
        to=ArticleStatus.DRAFT,
        entry=ArticleHistory.RETURNED,
        at=at,
        allowed=can_publish_article,
        from_status=ArticleStatus.REVIEW,
    )


def retire(article: Article, *, actor: User, at: datetime | None = None) -> Article:
    return _move(
        article,
        actor=actor,
        to=ArticleStatus.RETIRED,
        entry=ArticleHistory.RETIRED,
        at=at,
        allowed=can_retire_article,
        from_status=ArticleStatus.PUBLISHED,
    )


def article_from_known_error(known_error, *, actor: User, language: str | None = None) -> Article:
    """A draft whose text is a known error's symptoms and workaround, to review and publish like any other."""
    if getattr(known_error, "article", None) is not None:
        message = _("This known error has an article already.")
        raise ActionRefused(message, errors={"known_error": [message]}, status=409)
    contract = known_error.problem.contract
    body = _("Symptoms\n\n%(symptoms)s\n\nWorkaround\n\n%(workaround)s") % {
        "symptoms": known_error.symptoms,
        "workaround": known_error.workaround,
    }
    with transaction.atomic():
        article = write_article(
            contract, actor=actor, language=language or settings.LANGUAGE_CODE, title=known_error.title, body=body
        )
        Article.objects.filter(pk=article.pk).update(known_error=known_error)
        article.known_error = known_error
    return article


def link_to_ticket(article: Article, ticket: Ticket, *, actor: User, at: datetime | None = None) -> ArticleLink:
    if not can_work_ticket(actor, ticket):
        raise PermissionDenied(_("Only those who work the ticket link articles to it."))
    if article.status != ArticleStatus.PUBLISHED or article.contract_id != ticket.contract_id:
        message = _("Only a published article of the ticket's contract is linked.")
        raise ActionRefused(message, errors={"article": [message]})
    try:
        with transaction.atomic():
            return ArticleLink.objects.create(
                article=article, ticket=ticket, linked_by=actor, linked_at=at or timezone.now()
            )
    except IntegrityError:
        message = _("The article is linked to this ticket already.")
        raise ActionRefused(message, errors={"article": [message]}, status=409) from None


def note_suggested_view(article: Article, *, person: User, at: datetime | None = None) -> ArticleView:
    """The person opened ``article`` from the suggestions of the new-ticket form (the deflection figure)."""
    return ArticleView.objects.create(article=article, person=person, viewed_at=at or timezone.now())
