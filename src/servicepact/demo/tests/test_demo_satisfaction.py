"""The demo's satisfaction and knowledge: its contract measures satisfaction, a third of the surveys are
answered, the monthly report reads them, every past quarter has its relationship survey, and the knowledge
base has published articles in both languages, one in review and one draft."""

import json
from datetime import UTC, datetime, timedelta

from servicepact.demo.satisfaction import answer_surveys, relationship_and_knowledge
from servicepact.demo.scenario import load_scenario
from servicepact.desk import actions as desk
from servicepact.knowledge.models import Article, ArticleStatus, ArticleText
from servicepact.notify.actions import silenced
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.surveys.models import RelationshipAnswer, RelationshipRound, TicketSurvey


def test_surveys_answered_rounds_and_articles_of_the_demo(db):
    scenario = load_scenario(signed_at=datetime(2025, 12, 18, tzinfo=UTC))
    start, end = datetime(2026, 5, 4, 8, tzinfo=UTC), datetime(2026, 8, 3, 8, tzinfo=UTC)
    with silenced():
        for day in range(40):
            at = datetime(2026, 6, 1, 9, tzinfo=UTC) + timedelta(hours=17 * day)
            ticket = desk.create_ticket(
                actor=scenario.people["requester"],
                contract=scenario.contract,
                service=scenario.services["hr-portal"],
                title=f"Leave request {day} not saved",
                impact="low",
                urgency="low",
                at=at,
            )
            desk.resolve_ticket(
                ticket, actor=scenario.people["agent"], resolution="Saved again", at=at + timedelta(hours=1)
            )
    answered = answer_surveys(scenario, end, seed=7).answered
    assert 5 <= answered <= 25 and TicketSurvey.objects.answered().count() == answered
    report = json.loads(generate_report(ReportRequest(scenario.contract, "monthly", "2026-06")).body)
    satisfaction = next(m for m in report["measures"] if m["id"] == "customer-satisfaction")
    assert satisfaction["value"] is not None and 1 <= satisfaction["value"] <= 5
    assert "scores_sha256" in report["digest"]

    result = relationship_and_knowledge(scenario, start, end, seed=7)
    assert RelationshipRound.objects.count() == result.rounds == 2  # Q2 closed, Q3 open at the end
    assert RelationshipAnswer.objects.exists()
    statuses = list(Article.objects.values_list("status", flat=True))
    assert statuses.count(ArticleStatus.PUBLISHED) == 3
    assert ArticleStatus.REVIEW in statuses and ArticleStatus.DRAFT in statuses
    assert ArticleText.objects.filter(language="zh-hans").count() == 2
