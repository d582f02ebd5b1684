from servicepact.knowledge.models.article import Article, ArticleHistory, ArticleStatus, ArticleText
from servicepact.knowledge.models.usage import ArticleLink, ArticleTerm, ArticleView

__all__ = ["Article", "ArticleHistory", "ArticleLink", "ArticleStatus", "ArticleTerm", "ArticleText", "ArticleView"]
