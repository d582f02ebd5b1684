from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class ArticleTerm(models.Model):
    """One indexed term of an article's text: the search index where the database has no full-text search."""

    text = models.ForeignKey("knowledge.ArticleText", on_delete=models.CASCADE, related_name="index_terms")
    term = models.CharField(max_length=64)

    objects = AccessQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["term"], name="article_term")]
        constraints = [models.UniqueConstraint(fields=["text", "term"], name="article_term_once")]

    def __str__(self) -> str:
        return self.term


class ArticleLink(models.Model):
    """An article linked to a ticket by someone who works it: the answer, or part of it."""

    article = models.ForeignKey("knowledge.Article", on_delete=models.PROTECT, related_name="links")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="article_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(_("linked"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "ticket"], name="article_link_once")]
        verbose_name = _("article link")
        verbose_name_plural = _("article links")

    def __str__(self) -> str:
        return f"{self.article_id} → {self.ticket_id}"


class ArticleView(models.Model):
    """A requester opened an article suggested while they wrote a new ticket (for the deflection figure)."""

    article = models.ForeignKey("knowledge.Article", on_delete=models.CASCADE, related_name="views")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(_("viewed"))

    objects = AccessQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["article", "viewed_at"], name="article_view_when")]
        verbose_name = _("suggested article opened")
        verbose_name_plural = _("suggested articles opened")

    def __str__(self) -> str:
        return f"{self.article_id} {self.viewed_at:%Y-%m-%d %H:%M}"
