"""Sentences the service stored in ticket events are shown in the reader's language, from the facts in them;
the stored events never change, and what people wrote is shown as written."""

import pytest
from django.test import Client
from django.utils.translation import override

from servicepact.desk import actions
from servicepact.desk.models import Status, TicketEvent
from servicepact.desk.views.stored_texts import in_readers_language
from servicepact.desk.views.timeline import field_label

HANDOVER_EN = "Handover at the end of the shift of Service desk: printer queue still stuck"
HANDOVER_ZH = "Service desk 下班交接：printer queue still stuck"


def test_a_stored_sentence_is_said_again_in_the_readers_language():
    with override("zh-hans"):
        assert in_readers_language(HANDOVER_EN) == HANDOVER_ZH
        assert in_readers_language("The next update to the customer was due at 09:30 UTC.") == (
            "给客户的下次更新应在 09:30 UTC 之前发出。"
        )
    with override("en"):
        assert in_readers_language(HANDOVER_ZH) == HANDOVER_EN
        assert in_readers_language(HANDOVER_EN) == HANDOVER_EN


def test_what_people_wrote_is_shown_as_written():
    with override("zh-hans"):
        for text in ("Handover pending", "Rebooted the server.", "", "Merged into nothing"):
            assert in_readers_language(text) == text


def test_field_names_in_the_timeline_are_the_forms_names():
    with override("zh-hans"):
        assert field_label("title") == "标题" and field_label("description") == "描述"
    assert field_label("no_such_field") == "no_such_field"


@pytest.mark.django_db
def test_the_timeline_shows_a_stored_reason_in_the_readers_language_and_keeps_the_event(world):
    agent = world.people["agent"]
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="high",
        urgency="medium",
    )
    actions.route_ticket(ticket, actor=agent)
    with override("en"):  # written by a worker running in English
        actions.change_status(ticket, actor=agent, status=Status.IN_PROGRESS, reason=HANDOVER_EN)
    stored = TicketEvent.objects.get(ticket=ticket, type="status", data__status=Status.IN_PROGRESS)
    before = dict(stored.data)

    agent.language = "zh-hans"
    agent.save(update_fields=["language"])
    client = Client()
    client.force_login(agent)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert HANDOVER_ZH in page and HANDOVER_EN not in page

    agent.language = "en"
    agent.save(update_fields=["language"])
    client.force_login(agent)
    assert HANDOVER_EN in client.get(ticket.get_absolute_url()).content.decode()
    stored.refresh_from_db()
    assert stored.data == before and stored.data["reason"] == HANDOVER_EN
