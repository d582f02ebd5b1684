"""Knowledge articles: who reads, writes, reviews and links them.

A published article is read by everyone of the contract's customer and provider (requesters included:
that is what it is for). Drafts, articles in review and retired ones are the provider's staff's, who write
them; a team lead or administrator of the provider publishes another person's article. Those who work a
ticket link articles to it.
"""

from django.db.models import Q, QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import STAFF_ROLES, Principal, principal_of

PUBLISHER_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATOR)


def _articles(who: Principal, prefix: str = "") -> Q | None:
    if who.is_superuser:
        return Q()
    published = Q(**{f"{prefix}status": "published"})
    parties = Q(**{f"{prefix}contract__customer_id": who.organization_id}) | Q(
        **{f"{prefix}contract__provider_id": who.organization_id}
    )
    if not who.roles:
        return None
    if who.roles & STAFF_ROLES and who.is_provider:
        return Q(**{f"{prefix}contract__provider_id": who.organization_id})
    return published & parties


def visible_articles(rows: QuerySet, who: Principal) -> QuerySet:
    condition = _articles(who)
    return rows.none() if condition is None else rows.filter(condition)


def visible_article_parts(rows: QuerySet, who: Principal) -> QuerySet:
    """Texts, links and views of the articles ``who`` sees."""
    condition = _articles(who, "article__")
    return rows.none() if condition is None else rows.filter(condition)


def visible_article_terms(rows: QuerySet, who: Principal) -> QuerySet:
    condition = _articles(who, "text__article__")
    return rows.none() if condition is None else rows.filter(condition)


def writes_articles(user, contract) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.organization_id == contract.provider_id and bool(who.roles & STAFF_ROLES)


def can_edit_article(user, article) -> bool:
    return article.status in ("draft", "review") and writes_articles(user, article.contract)


def can_publish_article(user, article) -> bool:
    """A team lead or administrator of the provider, not the article's author."""
    who = principal_of(user)
    if who.is_anonymous or article.author_id == who.user_id:
        return False
    if who.is_superuser:
        return True
    return who.organization_id == article.contract.provider_id and who.has(*PUBLISHER_ROLES)


def can_retire_article(user, article) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.organization_id == article.contract.provider_id and who.has(*PUBLISHER_ROLES)


def writes_some_articles(user) -> bool:
    who = principal_of(user)
    return who.is_superuser or (who.is_provider and bool(who.roles & STAFF_ROLES))
