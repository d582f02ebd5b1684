"""Links between tickets and merges of duplicates: who may, what is kept, what the clocks do."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from servicepact.desk import actions
from servicepact.desk.actions.linking import link_tickets, unlink
from servicepact.desk.actions.merging import merge_tickets, survivor_of
from servicepact.desk.models import EventType, LinkKind, Status, TicketEvent, TicketLink, TicketMerge
from servicepact.history.models import HistoryEntry
from servicepact.mailin.actions import process_message
from servicepact.mailin.models import InboundMessage, InboundStatus, Mailbox
from servicepact.refusals import ActionRefused
from servicepact.slm.models import ClockState
from tests.test_clock_consistency import check_service_equals_replay

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def open_ticket(world, title="Invoices do not post", at=MONDAY, requester="requester", **overrides):
    return actions.create_ticket(
        actor=world.people[requester],
        contract=overrides.pop("contract", world.contract),
        service=overrides.pop("service", world.services["sap-erp"]),
        title=title,
        impact="high",
        urgency="medium",
        at=at,
        **overrides,
    )


def test_a_link_is_seen_from_both_tickets_and_removed_with_a_reason(world):
    agent = world.people["agent"]
    first = open_ticket(world)
    second = open_ticket(world, "Posting run fails", at=MONDAY + timedelta(minutes=5))
    events_before = TicketEvent.objects.count()

    link = link_tickets(second, actor=agent, other=first, kind="causes", reason="The posting run broke invoicing")
    # "second causes first" is kept as "first caused by second".
    assert (link.source, link.kind, link.target) == (first, LinkKind.CAUSED_BY, second)
    assert TicketEvent.objects.count() == events_before  # no event in either log: no clock can move
    assert TicketLink.objects.visible_to(world.people["requester"]).count() == 1
    assert TicketLink.objects.visible_to(world.people["other-requester"]).count() == 0

    with pytest.raises(ActionRefused) as refused:
        link_tickets(first, actor=agent, other=second, kind=LinkKind.RELATES_TO)
    assert refused.value.status == 409 and "already linked" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        unlink(link, actor=agent, reason="  ")
    assert "reason" in refused.value.errors

    unlink(link, actor=agent, reason="Not related after all")
    link.refresh_from_db()
    assert link.removed_at is not None and link.removal_reason == "Not related after all"
    history = list(HistoryEntry.objects.of(link).values_list("type", "data__reason"))
    assert history == [("linked", "The posting run broke invoicing"), ("unlinked", "Not related after all")]
    with pytest.raises(ActionRefused):
        unlink(link, actor=agent, reason="again")
    # Once removed, the pair may be linked again.
    again = link_tickets(first, actor=agent, other=second, kind=LinkKind.RELATES_TO)
    assert again.pk != link.pk


def test_only_people_who_see_both_tickets_and_work_one_may_link(world):
    first = open_ticket(world)
    other_tenant = open_ticket(
        world,
        "Elsewhere",
        requester="other-requester",
        contract=world.other_contract,
        service=world.other_contract.services.get(key="sap-erp"),
    )
    second = open_ticket(world, "Posting run fails")
    with pytest.raises(PermissionDenied):
        link_tickets(first, actor=world.people["requester"], other=second, kind=LinkKind.RELATES_TO)
    with pytest.raises(PermissionDenied):
        link_tickets(first, actor=world.people["vendor-engineer"], other=second, kind=LinkKind.RELATES_TO)
    with pytest.raises(ActionRefused) as refused:
        link_tickets(first, actor=world.people["agent"], other=first, kind=LinkKind.RELATES_TO)
    assert "itself" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        link_tickets(first, actor=world.people["agent"], other=second, kind="blocks")
    assert "kind" in refused.value.errors
    # The provider's agent sees both customers' tickets; the link is seen only by people who see both.
    link_tickets(first, actor=world.people["agent"], other=other_tenant, kind=LinkKind.RELATES_TO)
    assert TicketLink.objects.visible_to(world.people["requester"]).count() == 0
    assert TicketLink.objects.visible_to(world.people["agent"]).count() == 1
    assert TicketLink.objects.count() == 1


def test_a_merge_closes_the_duplicate_moves_its_people_and_keeps_its_events(world, tmp_path):
    agent = world.people["agent"]
    survivor = open_ticket(world, "SAP down for everyone", requester="security-resolver")
    duplicate = open_ticket(world, "SAP down", at=MONDAY + timedelta(minutes=10))
    actions.add_watcher(
        duplicate, actor=agent, user=world.people["customer-manager"], at=MONDAY + timedelta(minutes=11)
    )
    duplicate_events = list(TicketEvent.objects.filter(ticket=duplicate).values_list("seq", "hash"))

    merge = merge_tickets(
        duplicate, actor=agent, survivor=survivor, reason="Same outage", at=MONDAY + timedelta(minutes=40)
    )
    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.status == Status.CLOSED and duplicate.closed_at == merge.merged_at
    # Its events stay, with a note and the kernel's closure after them.
    after = list(TicketEvent.objects.filter(ticket=duplicate).order_by("seq").values_list("seq", "hash"))
    assert after[: len(duplicate_events)] == duplicate_events
    closing = TicketEvent.objects.filter(ticket=duplicate).order_by("-seq").first()
    assert (closing.type, closing.data["status"], closing.data["merged_into"]) == (
        EventType.STATUS,
        Status.CLOSED,
        survivor.number,
    )
    assert set(survivor.watchers.values_list("email", flat=True)) == {
        "customer-manager@example.test",
        "requester@example.test",
    }
    assert TicketEvent.objects.filter(ticket=survivor, type=EventType.NOTE, data__merged_from=duplicate.number).exists()
    assert survivor_of(duplicate) == survivor
    assert TicketLink.objects.get(source=duplicate, target=survivor).kind == LinkKind.DUPLICATE_OF
    assert list(HistoryEntry.objects.of(merge).values_list("type", flat=True)) == ["merged"]

    # The duplicate's clocks stopped at the merge; stored rows equal a fresh replay of the exported log.
    clocks = ClockState.objects.filter(ticket=duplicate)
    assert {clock.stopped_at for clock in clocks} == {merge.merged_at}
    contract_file = Path(tmp_path) / "contract.yaml"
    contract_file.write_text(world.version.source, encoding="utf-8")
    assert check_service_equals_replay(world, contract_file, Path(tmp_path)) >= 4


def test_a_merge_is_refused_into_itself_a_closed_ticket_or_across_contracts_and_never_undone(world):
    agent = world.people["agent"]
    survivor = open_ticket(world, "SAP down for everyone")
    duplicate = open_ticket(world, "SAP down", at=MONDAY + timedelta(minutes=10))
    elsewhere = open_ticket(
        world,
        "Other customer's outage",
        requester="other-requester",
        contract=world.other_contract,
        service=world.other_contract.services.get(key="sap-erp"),
        at=MONDAY + timedelta(minutes=12),
    )
    finished = open_ticket(world, "Old one", at=MONDAY + timedelta(minutes=13))
    actions.resolve_ticket(finished, actor=agent, resolution="Done", at=MONDAY + timedelta(minutes=14))
    actions.close_ticket(finished, actor=agent, at=MONDAY + timedelta(minutes=15))
    events_before = TicketEvent.objects.count()

    refusals = {
        "itself": (duplicate, duplicate, "into itself"),
        "closed": (duplicate, finished, "is closed"),
        "contracts": (duplicate, elsewhere, "different contracts"),
    }
    for case, (dup, surv, words) in refusals.items():
        with pytest.raises(ActionRefused) as refused:
            merge_tickets(dup, actor=agent, survivor=surv, reason="Same")
        assert words in refused.value.message, case
        assert refused.value.errors.get("survivor"), case
    with pytest.raises(ActionRefused) as refused:
        merge_tickets(duplicate, actor=agent, survivor=survivor, reason=" ")
    assert "reason" in refused.value.errors
    with pytest.raises(PermissionDenied):
        merge_tickets(duplicate, actor=world.people["requester"], survivor=survivor, reason="Same")
    assert TicketEvent.objects.count() == events_before and not TicketMerge.objects.exists()

    merge = merge_tickets(duplicate, actor=agent, survivor=survivor, reason="Same outage")
    # Not undone silently: not merged again, not reopened, the record neither changed nor deleted.
    with pytest.raises(ActionRefused) as refused:
        merge_tickets(duplicate, actor=agent, survivor=open_ticket(world, "Third"), reason="Again")
    assert f"already merged into {survivor.number}" in refused.value.message
    with pytest.raises(ActionRefused):
        actions.reopen_ticket(duplicate, actor=agent, reason="Not a duplicate")
    with pytest.raises(TypeError):
        merge.delete()
    with pytest.raises(TypeError):
        TicketMerge.objects.filter(pk=merge.pk).update(reason="nothing")
    with pytest.raises(Exception, match="written once"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM desk_ticketmerge")
    assert TicketMerge.objects.filter(pk=merge.pk).exists()


def test_a_mail_answering_a_merged_ticket_goes_to_the_survivor(world):
    survivor = open_ticket(world, "SAP down for everyone")
    duplicate = open_ticket(world, "SAP down", at=MONDAY + timedelta(minutes=10))
    merge_tickets(duplicate, actor=world.people["agent"], survivor=survivor, reason="Same outage")
    assert survivor_of(survivor) == survivor
    assert survivor_of(duplicate) == survivor
    mailbox = Mailbox.objects.create(
        contract=world.contract,
        name="Globex service desk",
        address="desk@globex.example",
        host="127.0.0.1",
        port=1,
        use_ssl=False,
        username="desk",
        password="desk",
        service=world.services["sap-erp"],
    )
    raw = (
        "From: requester@example.test\r\nTo: desk@globex.example\r\n"
        f"Subject: Re: [{duplicate.number}] SAP down\r\nMessage-ID: <answer-1@example.test>\r\n\r\nStill down here.\r\n"
    ).encode()
    message = InboundMessage.objects.create(
        mailbox=mailbox, uid_validity=1, uid=1, raw=raw, received_at=MONDAY + timedelta(hours=2)
    )
    message = process_message(message)
    assert (message.status, message.ticket) == (InboundStatus.REPLY, survivor), message.outcome
    assert TicketEvent.objects.filter(ticket=survivor, type=EventType.REPLIED, data__body="Still down here.").exists()
