"""Satisfaction surveys: the invitation a resolution sends, one answer per ticket by the link, the portal or
the API, written once; relationship surveys of the customer's managers; the results both parties read."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from servicepact.desk import actions as desk
from servicepact.notify.models import Outbox
from servicepact.refusals import ActionRefused
from servicepact.surveys import actions, queries
from servicepact.surveys.models import AnsweredVia, RelationshipAnswer, TicketSurvey

# Surveys stay open for two weeks from the resolution: the tests' tickets are resolved today.
MONDAY = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)


@pytest.fixture
def resolved(world):
    ticket = desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
        at=MONDAY,
    )
    desk.resolve_ticket(ticket, actor=world.people["agent"], resolution="Cache cleared", at=MONDAY + timedelta(hours=2))
    return ticket


def test_resolving_invites_the_requester_once_with_a_link(resolved, world, settings):
    survey = TicketSurvey.objects.get(ticket=resolved)
    assert survey.requester == world.people["requester"]
    assert survey.expires_at - survey.invited_at == timedelta(days=actions.SURVEY_DAYS)
    (mail,) = Outbox.objects.filter(key=f"survey:{resolved.pk}")
    assert mail.recipients == [world.people["requester"].email]
    assert f"{settings.SERVICEPACT_BASE_URL}/surveys/{survey.token}/" in mail.body
    desk.reopen_ticket(
        resolved, actor=world.people["requester"], reason="Still failing", at=MONDAY + timedelta(hours=3)
    )
    desk.resolve_ticket(resolved, actor=world.people["agent"], resolution="Fixed", at=MONDAY + timedelta(hours=4))
    assert TicketSurvey.objects.filter(ticket=resolved).count() == 1


def test_the_link_takes_one_answer_and_refuses_a_second(resolved, client):
    survey = TicketSurvey.objects.get(ticket=resolved)
    url = reverse("surveys:answer", args=[survey.token])
    page = client.get(url)
    assert page.status_code == 200 and 'name="score"' in page.content.decode()
    assert client.post(url, {"score": "4", "comment": "Quick, thanks"}).status_code == 302
    survey.refresh_from_db()
    assert (survey.score, survey.comment, survey.answered_via) == (4, "Quick, thanks", AnsweredVia.LINK)
    again = client.post(url, {"score": "1"})
    assert "Thank you for your answer" in again.content.decode()
    survey.refresh_from_db()
    assert survey.score == 4
    with pytest.raises(ActionRefused) as refused:
        actions.answer_ticket_survey(survey, actor=None, via=AnsweredVia.LINK, score=2)
    assert refused.value.status == 409


@pytest.mark.parametrize("score", ["0", "6", "", "four", "4.5", None])
def test_a_score_off_the_scale_is_refused_by_name_and_changes_nothing(resolved, client, score):
    survey = TicketSurvey.objects.get(ticket=resolved)
    answer = client.post(reverse("surveys:answer", args=[survey.token]), {"score": score or ""})
    assert answer.status_code == 422
    with pytest.raises(ActionRefused) as refused:
        actions.answer_ticket_survey(survey, actor=None, via=AnsweredVia.LINK, score=score)
    assert "score" in refused.value.errors
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_an_expired_survey_is_closed(resolved, client):
    survey = TicketSurvey.objects.get(ticket=resolved)
    late = survey.expires_at + timedelta(seconds=1)
    with pytest.raises(ActionRefused, match="closed"):
        actions.answer_ticket_survey(survey, actor=None, via=AnsweredVia.LINK, score=5, at=late)
    TicketSurvey.objects.filter(pk=survey.pk).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert "closed" in client.get(reverse("surveys:answer", args=[survey.token])).content.decode()
    assert client.get(reverse("surveys:answer", args=["not-a-token"])).status_code == 404


def test_only_the_requester_answers_from_the_portal(resolved, world, client):
    survey = TicketSurvey.objects.get(ticket=resolved)
    with pytest.raises(PermissionDenied):
        actions.answer_ticket_survey(survey, actor=world.people["agent"], via=AnsweredVia.PORTAL, score=5)
    client.force_login(world.people["agent"])
    url = reverse("surveys:answer_from_portal", args=[resolved.number])
    assert client.post(url, {"score": "5"}).status_code == 403
    client.force_login(world.people["requester"])
    page = client.get(resolved.get_absolute_url()).content.decode()
    assert 'id="portal-survey-form"' in page
    assert client.post(url, {"score": "5", "comment": "Great"}).status_code == 302
    survey.refresh_from_db()
    assert (survey.score, survey.answered_via) == (5, AnsweredVia.PORTAL)


def test_an_answer_is_written_once_by_the_model_and_the_database(resolved):
    survey = TicketSurvey.objects.get(ticket=resolved)
    with transaction.atomic(), connection.cursor() as cursor:  # an open survey is still answered by UPDATE
        cursor.execute("UPDATE surveys_ticketsurvey SET comment = 'draft' WHERE id = %s", [survey.pk])
    actions.answer_ticket_survey(survey, actor=None, via=AnsweredVia.LINK, score=3)
    survey.refresh_from_db()
    survey.score = 5
    with pytest.raises(TypeError):
        survey.save()
    with pytest.raises(IntegrityError, match="written once"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE surveys_ticketsurvey SET score = 5 WHERE id = %s", [survey.pk])
    survey.refresh_from_db()
    assert survey.score == 3


def test_the_api_answers_for_the_requester_and_lists_results_for_report_readers(resolved, world, client):
    client.force_login(world.people["requester"])
    url = f"/api/tickets/{resolved.number}/survey"
    assert client.post(url, {"score": 9}, content_type="application/json").status_code == 422
    answered = client.post(url, {"score": 4, "comment": "ok"}, content_type="application/json")
    assert answered.status_code == 200 and answered.json()["score"] == 4
    assert client.get(f"/api/contracts/{world.contract.slug}/satisfaction").status_code == 403
    client.force_login(world.people["customer-manager"])
    results = client.get(f"/api/contracts/{world.contract.slug}/satisfaction").json()
    (month,) = results["months"]
    invited = TicketSurvey.objects.get(ticket=resolved).invited_at.astimezone(ZoneInfo(results["zone"]))
    assert results["zone"] == "Europe/Berlin"
    assert (month["month"], month["invited"], month["answered"], month["mean"]) == (
        f"{invited:%Y-%m}-01",
        1,
        1,
        4.0,
    )
    assert results["answers"][0]["ticket"] == resolved.number
    client.force_login(world.people["other-manager"])
    assert client.get(f"/api/contracts/{world.contract.slug}/satisfaction").status_code == 404


def test_scores_for_the_kernel_are_the_answered_ones(resolved, world):
    assert queries.contract_scores(world.contract) == {}
    survey = TicketSurvey.objects.get(ticket=resolved)
    actions.answer_ticket_survey(survey, actor=None, via=AnsweredVia.LINK, score=4, at=MONDAY + timedelta(days=1))
    assert queries.contract_scores(world.contract) == {resolved.number: 4}
    assert queries.contract_scores(world.contract, until=MONDAY + timedelta(hours=5)) == {}


def test_a_relationship_survey_asks_the_customers_managers_once_each(world):
    manager = world.people["customer-manager"]
    with pytest.raises(PermissionDenied):
        actions.open_round(world.contract, actor=world.people["agent"], title="2026 Q1", closes_at=MONDAY)
    with pytest.raises(ActionRefused) as refused:
        actions.open_round(world.contract, actor=world.people["administrator"], title=" ", closes_at=MONDAY, at=MONDAY)
    assert set(refused.value.errors) == {"title", "closes_at"}
    survey_round = actions.open_round(
        world.contract,
        actor=world.people["administrator"],
        title="2026 Q1",
        closes_at=MONDAY + timedelta(days=10),
        at=MONDAY,
    )
    assert Outbox.objects.filter(key=f"round:{survey_round.pk}:{manager.pk}").count() == 1
    with pytest.raises(PermissionDenied):
        actions.answer_round(survey_round, actor=world.people["requester"], score=5, at=MONDAY)
    actions.answer_round(survey_round, actor=manager, score=4, comment="Steady", at=MONDAY)
    with pytest.raises(ActionRefused) as again:
        actions.answer_round(survey_round, actor=manager, score=5, at=MONDAY)
    assert again.value.status == 409
    with pytest.raises(ActionRefused, match="closed"):
        actions.answer_round(survey_round, actor=manager, score=5, at=MONDAY + timedelta(days=11))
    assert RelationshipAnswer.objects.get().score == 4
    with pytest.raises(ActionRefused) as duplicate:
        actions.open_round(
            world.contract,
            actor=world.people["administrator"],
            title="2026 Q1",
            closes_at=MONDAY + timedelta(days=5),
            at=MONDAY,
        )
    assert duplicate.value.status == 409
