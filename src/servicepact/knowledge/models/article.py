from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ArticleHistory(models.TextChoices):
    """The entries an article's history holds (servicepact/history)."""

    WRITTEN = "written", _("Written")
    SUBMITTED = "submitted", _("Sent for review")
    RETURNED = "returned", _("Returned to the author")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Article(models.Model):
    """A knowledge article of a contract; its texts (one per language) say what it says."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="articles")
    status = models.CharField(_("status"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    known_error = models.OneToOneField(
        "problems.KnownError", on_delete=models.PROTECT, null=True, blank=True, related_name="article"
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()
    keeps_history = True
    history_types = ArticleHistory

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["contract", "status"], name="article_contract_status")]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", kwargs={"article_id": self.pk})

    @property
    def number(self) -> str:
        return f"KB{self.pk:05d}"

    def languages(self) -> list[str]:
        return sorted(text.language for text in self.texts.all())

    def text_exactly_in(self, language: str) -> "ArticleText | None":
        return next((text for text in self.texts.all() if text.language == language), None)

    def text_in(self, language: str) -> "ArticleText | None":
        """The text in ``language``, else any other (prefetch ``texts`` to avoid a query per article)."""
        texts = sorted(self.texts.all(), key=lambda text: text.language != language)
        return texts[0] if texts else None


class ArticleText(models.Model):
    """An article in one language. ``terms`` are its indexed words, kept for search (``knowledge/search.py``)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    terms = models.TextField(blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="article_text_language_unique")]
        verbose_name = _("article text")
        verbose_name_plural = _("article texts")

    def __str__(self) -> str:
        return f"{self.article_id} {self.language}"
