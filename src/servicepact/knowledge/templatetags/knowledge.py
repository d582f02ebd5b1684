"""``{% ticket_articles ticket %}``: on a ticket's page, the articles linked to it, and for those who work
it, the published articles its words match, each with a button to link it."""

from django import template
from django.utils.translation import get_language

from servicepact.knowledge import queries
from servicepact.knowledge.models import Article, ArticleLink
from servicepact.permissions import can_work_ticket

register = template.Library()


@register.inclusion_tag("knowledge/ticket_articles.html", takes_context=True)
def ticket_articles(context, ticket) -> dict:
    user = context["request"].user
    language = get_language()
    links = ArticleLink.objects.visible_to(user).filter(ticket=ticket).select_related("article")
    linked = [(link.article, link.article.text_in(language)) for link in links.prefetch_related("article__texts")]
    works = can_work_ticket(user, ticket)
    suggested = []
    if works:
        taken = {article.pk for article, _ in linked}
        found = queries.suggestions(
            Article.objects.visible_to(user), ticket.contract, f"{ticket.title}\n{ticket.description}"
        )
        suggested = [(article, article.text_in(language)) for article in found if article.pk not in taken]
    return {
        "ticket": ticket,
        "linked": linked,
        "suggested": suggested,
        "works": works,
        "csrf_token": context.get("csrf_token"),
    }
