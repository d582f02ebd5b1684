"""Knowledge articles: terms in English and Chinese, search on the database at hand, the review flow,
who reads what, linking to tickets, suggestions, deflection, and known errors made articles."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from servicepact.desk import actions as desk
from servicepact.history.queries import history_of
from servicepact.knowledge import actions, queries
from servicepact.knowledge.models import Article, ArticleStatus, ArticleView
from servicepact.knowledge.search import terms_of
from servicepact.problems import actions as problems
from servicepact.refusals import ActionRefused

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def published(world, title: str, body: str, language: str = "en") -> Article:
    article = actions.write_article(
        world.contract, actor=world.people["agent"], language=language, title=title, body=body, at=NOW
    )
    actions.submit_for_review(article, actor=world.people["agent"], at=NOW)
    return actions.publish(article, actor=world.people["team-lead"], at=NOW)


@pytest.fixture
def library(world):
    return {
        "password": published(world, "Reset your SAP password", "Open the self-service page and choose Reset."),
        "vpn": published(world, "VPN drops every hour", "Update the VPN client to version 5."),
        "chinese": published(world, "重置密码", "打开自助服务页面，选择重置密码。", language="zh-hans"),
    }


def test_terms_fold_plurals_drop_common_words_and_split_chinese():
    assert terms_of("The passwords of my accounts expire!") == ["account", "expire", "password"]
    assert terms_of("重置密码") == ["密", "密码", "码", "置", "置密", "重", "重置"]
    assert terms_of("SAP 7.4 登录失败") == sorted({"sap", "7", "4", "登", "录", "失", "败", "登录", "录失", "失败"})
    assert terms_of("the a of") == []


def test_search_finds_english_and_chinese_articles_best_first(library, world):
    articles = Article.objects.visible_to(world.people["requester"])
    assert queries.search_articles(articles, "password reset")[0] == library["password"]
    assert queries.search_articles(articles, "my passwords") == [library["password"]]
    assert queries.search_articles(articles, "忘记密码了") == [library["chinese"]]
    assert queries.search_articles(articles, "the") == []
    assert queries.search_articles(articles, "printer") == []


def test_the_review_flow_and_who_reads_what(world):
    agent, lead, requester = world.people["agent"], world.people["team-lead"], world.people["requester"]
    article = actions.write_article(world.contract, actor=agent, language="en", title="Printer", body="Turn it on.")
    assert not Article.objects.visible_to(requester).exists(), "a draft is the provider's"
    with pytest.raises(PermissionDenied):
        actions.write_article(world.contract, actor=requester, language="en", title="x", body="y")
    with pytest.raises(ActionRefused) as refused:
        actions.write_article(world.contract, actor=agent, language="fr", title="", body="")
    assert set(refused.value.errors) == {"language", "title", "body"}
    actions.submit_for_review(article, actor=agent)
    with pytest.raises(PermissionDenied):
        actions.publish(article, actor=agent)
    lead_article = actions.write_article(world.contract, actor=lead, language="en", title="Mine", body="Text")
    actions.submit_for_review(lead_article, actor=lead)
    with pytest.raises(PermissionDenied):
        actions.publish(lead_article, actor=lead)  # not one's own
    actions.publish(article, actor=lead)
    assert list(Article.objects.visible_to(requester)) == [article]
    assert not Article.objects.visible_to(world.people["other-requester"]).exists()
    actions.retire(Article.objects.get(pk=article.pk), actor=lead)
    assert not Article.objects.visible_to(requester).exists()
    types = [entry.type for entry in history_of(article, lead)]
    assert types == ["written", "submitted", "published", "retired"]


def test_those_who_work_a_ticket_link_published_articles_of_its_contract(library, world):
    ticket = desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Forgot my SAP password",
        impact="low",
        urgency="low",
    )
    with pytest.raises(PermissionDenied):
        actions.link_to_ticket(library["password"], ticket, actor=world.people["requester"])
    actions.link_to_ticket(library["password"], ticket, actor=world.people["agent"])
    with pytest.raises(ActionRefused) as twice:
        actions.link_to_ticket(library["password"], ticket, actor=world.people["agent"])
    assert twice.value.status == 409
    suggested = queries.suggestions(Article.objects.visible_to(world.people["agent"]), world.contract, ticket.title)
    assert suggested[0] == library["password"]


def test_the_suggest_fragment_offers_published_matches(library, world, client):
    client.force_login(world.people["requester"])
    answer = client.get(reverse("knowledge:suggest"), {"title": "password", "description": ""})
    assert answer.status_code == 200
    assert "Reset your SAP password" in answer.content.decode() and "VPN" not in answer.content.decode()
    assert client.get(reverse("knowledge:suggest"), {"title": ""}).content.decode().strip() == ""


def test_deflection_counts_suggested_articles_not_followed_by_a_ticket(library, world):
    requester = world.people["requester"]
    actions.note_suggested_view(library["vpn"], person=requester, at=NOW)
    actions.note_suggested_view(library["password"], person=requester, at=NOW + timedelta(hours=2))
    desk.create_ticket(
        actor=requester,
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Still locked out",
        impact="low",
        urgency="low",
        at=NOW + timedelta(hours=2, minutes=10),
    )
    views = ArticleView.objects.visible_to(world.people["agent"])
    found = queries.deflection(views, world.contract, NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert (found.opened, found.answered) == (2, 1)


def test_a_known_error_becomes_a_draft_article(world):
    ticket = desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
    )
    problem = problems.raise_problem(
        actor=world.people["team-lead"],
        contract=world.contract,
        title="Posting fails after patch",
        incidents=[ticket],
    )
    known = problems.publish_known_error(
        problem, actor=world.people["team-lead"], symptoms="Error F5 702 on posting", workaround="Post twice"
    )
    article = actions.article_from_known_error(known, actor=world.people["agent"])
    assert article.status == ArticleStatus.DRAFT and article.known_error == known
    text = article.texts.get()
    assert "Error F5 702 on posting" in text.body and "Post twice" in text.body
    with pytest.raises(ActionRefused):
        actions.article_from_known_error(known, actor=world.people["agent"])
