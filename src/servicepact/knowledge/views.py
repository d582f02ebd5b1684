"""Knowledge pages: a contract's articles with search, one article in the reader's language with its
history and its review steps, the editor, suggestions while a new ticket is typed, and linking from a
ticket's page. Each page declares its permission beside it."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.history.queries import history_of
from servicepact.knowledge import actions, queries
from servicepact.knowledge.forms import ArticleForm, SearchForm
from servicepact.knowledge.models import Article, ArticleStatus, ArticleView
from servicepact.permissions import can_work_ticket
from servicepact.permissions.declared import object_view, person_view, signed_in
from servicepact.permissions.knowledge import (
    can_edit_article,
    can_publish_article,
    can_retire_article,
    writes_articles,
)
from servicepact.refusals import ActionRefused

READ = ("GET", "HEAD")


def visible_article(request: HttpRequest, article_id: int) -> Article:
    articles = Article.objects.visible_to(request.user).select_related("contract", "author", "reviewer")
    return get_object_or_404(queries.with_texts(articles), pk=article_id)


def visible_ticket(request: HttpRequest, number: str) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(request.user), number=number)


contract_view = object_view(visible_contract, "slug")
article_view = object_view(visible_article, "article_id")
ticket_view = object_view(visible_ticket, "number")


@contract_view(methods=READ)
def article_list(request: HttpRequest, contract: Contract) -> HttpResponse:
    form = SearchForm(request.GET or None)
    articles = Article.objects.visible_to(request.user).filter(contract=contract)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = queries.search_articles(articles, query, limit=50) if query else list(queries.with_texts(articles)[:200])
    writer = writes_articles(request.user, contract)
    since = timezone.now() - timedelta(days=90)
    context = {
        "contract": contract,
        "form": form,
        "query": query,
        "articles": [(article, article.text_in(get_language())) for article in found],
        "may_write": writer,
        "deflection": queries.deflection(ArticleView.objects.visible_to(request.user), contract, since, timezone.now())
        if writer
        else None,
    }
    return render(request, "knowledge/list.html", context)


@article_view(methods=READ)
def article_page(request: HttpRequest, article: Article) -> HttpResponse:
    language = request.GET.get("lang") or get_language()
    if request.GET.get("from") == "new-ticket" and article.status == ArticleStatus.PUBLISHED:
        actions.note_suggested_view(article, person=request.user)
    context = {
        "article": article,
        "text": article.text_in(language),
        "text_languages": article.languages(),
        "history": history_of(article, request.user),
        "may_edit": can_edit_article(request.user, article),
        "may_submit": article.status == ArticleStatus.DRAFT and can_edit_article(request.user, article),
        "may_publish": article.status == ArticleStatus.REVIEW and can_publish_article(request.user, article),
        "may_retire": article.status == ArticleStatus.PUBLISHED and can_retire_article(request.user, article),
    }
    return render(request, "knowledge/article.html", context)


def _editor(request, contract: Contract, article: Article | None, form: ArticleForm, status: int = 200):
    return render(
        request, "knowledge/edit.html", {"contract": contract, "article": article, "form": form}, status=status
    )


def _save(request: HttpRequest, contract: Contract, article: Article | None) -> HttpResponse:
    form = ArticleForm(request.POST)
    if form.is_valid():
        try:
            saved = actions.write_article(contract, actor=request.user, article=article, **form.cleaned_data)
        except ActionRefused as refusal:
            for field, problems in refusal.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The article is saved."))
            return redirect(saved.get_absolute_url())
    return _editor(request, contract, article, form, status=422)


@contract_view(writes_articles, methods=("GET", "HEAD", "POST"))
def new_article(request: HttpRequest, contract: Contract) -> HttpResponse:
    if request.method == "POST":
        return _save(request, contract, None)
    return _editor(request, contract, None, ArticleForm(initial={"language": get_language()}))


@article_view(can_edit_article, methods=("GET", "HEAD", "POST"))
def edit_article(request: HttpRequest, article: Article) -> HttpResponse:
    if request.method == "POST":
        return _save(request, article.contract, article)
    language = request.GET.get("lang") or get_language()
    text = article.text_exactly_in(language)
    initial = {"language": language, "title": text.title if text else "", "body": text.body if text else ""}
    return _editor(request, article.contract, article, ArticleForm(initial=initial))


STEPS = {
    "submit": actions.submit_for_review,
    "publish": actions.publish,
    "return": actions.return_to_author,
    "retire": actions.retire,
}


@article_view(methods=("POST",))
def article_step(request: HttpRequest, article: Article, step: str) -> HttpResponse:
    move = STEPS.get(step)
    if move is None:
        raise PermissionDenied(step)
    try:
        move(article, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    return redirect(article.get_absolute_url())


@person_view(signed_in)
def suggest(request: HttpRequest) -> HttpResponse:
    """The published articles matching what the person types into a new ticket (an HTMX fragment)."""
    text = " ".join(request.GET.get(name, "")[:2000] for name in ("title", "description"))
    articles = Article.objects.visible_to(request.user).filter(status=ArticleStatus.PUBLISHED)
    found = queries.search_articles(articles, text, limit=5) if text.strip() else []
    rows = [(article, article.text_in(get_language())) for article in found]
    return render(request, "knowledge/suggestions.html", {"rows": rows})


@ticket_view(can_work_ticket)
def link(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    raw = request.POST.get("article", "")
    valid = raw.isascii() and raw.isdigit() and len(raw) < 12
    article = Article.objects.visible_to(request.user).filter(pk=int(raw)).first() if valid else None
    if article is None:
        messages.error(request, _("Choose an article to link."))
        return redirect(ticket.get_absolute_url())
    try:
        actions.link_to_ticket(article, ticket, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(article)s is linked to the ticket.") % {"article": article.number})
    return redirect(ticket.get_absolute_url())
