"""Tickets through the API: reading, filtering, cursor pages, writing through the actions, bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicepact.desk import actions
from servicepact.desk.models import Ticket, TicketEvent
from tests.api_client import client_as, post_json, problem_fields


def report(world, title="SAP posting fails", service="sap-erp", **fields) -> Ticket:
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services[service],
        title=title,
        impact=fields.pop("impact", "high"),
        urgency=fields.pop("urgency", "medium"),
        **fields,
    )


@pytest.fixture
def ticket(world) -> Ticket:
    """A ticket in application support China's queue, with a reply and an internal note."""
    ticket = report(world)
    actions.route_ticket(ticket, actor=world.people["agent"])
    actions.reply(ticket, actor=world.people["resolver"], body="Looking into it.")
    actions.add_note(ticket, actor=world.people["resolver"], body="Suspect the posting period lock.")
    return ticket


def test_requester_creates_ticket_with_matrix_priority(world):
    body = {
        "contract": "globex-ito",
        "service": "sap-erp",
        "title": "Cannot post invoices",
        "impact": "high",
        "urgency": "medium",
        "description": "Since 9:00.",
    }
    response = post_json(client_as(world.people["requester"]), "/api/tickets", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["priority"] == "P2" and created["status"] == "new"
    assert created["team"]["slug"] == "service-desk" and created["requester"]["email"] == "requester@example.test"
    assert Ticket.objects.get(number=created["number"]).events.get().type == "created"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"impact": "huge"}, "impact"),
        ({"service": "payroll"}, "service"),
        ({"contract": "initech-ito"}, "contract"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 20_001}, "description"),
        ({"requester": "nobody@example.test"}, "requester"),
        ({"priority": "P1"}, "priority"),
    ],
)
def test_bad_ticket_input_names_the_field_and_changes_nothing(world, change, field):
    body = {"contract": "globex-ito", "service": "sap-erp", "title": "t", "impact": "high", "urgency": "high"}
    response = post_json(client_as(world.people["requester"]), "/api/tickets", {**body, **change})
    assert response.status_code == 422, response.content
    assert field in problem_fields(response)
    assert not Ticket.objects.exists()


def test_get_ticket_and_vendor_reduced_view(world, ticket):
    full = client_as(world.people["agent"]).get(f"/api/tickets/{ticket.number}").json()
    assert full["view"] == "full" and full["requester"]["email"] == "requester@example.test"
    assert full["team"]["slug"] == "app-support-cn" and full["contract_version"] == 1
    actions.assign_ticket(ticket, actor=world.people["resolver"], team=world.teams["hardware"], reason="Disk fault")
    vendor = client_as(world.people["vendor-engineer"]).get(f"/api/tickets/{ticket.number}")
    assert vendor.status_code == 200
    body = vendor.json()
    assert body["view"] == "vendor" and "email" not in body["requester"] and "contract_version" not in body


def test_unseen_ticket_is_404_not_403(world, ticket):
    for key in ("other-requester", "vendor-engineer", "security-resolver"):
        response = client_as(world.people[key]).get(f"/api/tickets/{ticket.number}")
        assert response.status_code == 404, key
    assert client_as(world.people["agent"]).get("/api/tickets/INC9999999").status_code == 404


def test_requester_sees_public_events_only(world, ticket):
    types = [
        event["type"]
        for event in client_as(world.people["requester"]).get(f"/api/tickets/{ticket.number}/events").json()
    ]
    assert "note" not in types and "replied" in types
    staff = client_as(world.people["resolver"]).get(f"/api/tickets/{ticket.number}/events").json()
    assert "note" in [event["type"] for event in staff]
    assert [event["seq"] for event in staff] == list(range(1, len(staff) + 1))
    assert all(event["prev_hash"] == before["hash"] for before, event in zip(staff, staff[1:]))


def test_clocks_explained_and_stored(world, ticket):
    response = client_as(world.people["requester"]).get(f"/api/tickets/{ticket.number}/clocks?tz=Asia/Shanghai")
    assert response.status_code == 200, response.content
    body = response.json()
    explained = {clock["clock"]: clock for clock in body["explained"]}
    assert explained["response"]["state"] == "met"  # the resolver replied
    assert explained["resolution"]["state"] == "running" and explained["resolution"]["due_at"].endswith("+08:00")
    assert explained["resolution"]["on_priority_change"] == "retroactive"  # the reference contract's default
    assert explained["resolution"]["team"] is None
    assert {clock["clock"] for clock in body["stored"]} >= {"response", "resolution"}


def test_clocks_in_an_unknown_time_zone_name_the_field(world, ticket):
    response = client_as(world.people["requester"]).get(f"/api/tickets/{ticket.number}/clocks?tz=Mars/Olympus")
    assert response.status_code == 422 and problem_fields(response) == {"tz"}


def test_work_a_ticket_to_resolution_and_reopen(world, ticket):
    resolver = client_as(world.people["resolver"])
    url = f"/api/tickets/{ticket.number}"
    assert post_json(resolver, f"{url}/transition", {"status": "in_progress"}).json()["status"] == "in_progress"
    reply = post_json(resolver, f"{url}/reply", {"body": "Fixed the period lock."})
    assert reply.status_code == 201 and reply.json()["type"] == "replied"
    resolved = post_json(resolver, f"{url}/resolve", {"resolution": "Period reopened."})
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    reopened = post_json(client_as(world.people["requester"]), f"{url}/reopen", {"reason": "Still failing."})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] != "resolved" and reopened.json()["reopen_count"] == 1


def test_assign_and_priority(world, ticket):
    agent = client_as(world.people["agent"])
    url = f"/api/tickets/{ticket.number}"
    moved = post_json(agent, f"{url}/assign", {"team": "globex-security", "reason": "SSO certificate"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["team"]["slug"] == "globex-security"
    changed = post_json(agent, f"{url}/priority", {"impact": "high", "urgency": "high", "reason": "Plant stopped"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["priority"] == "P1"


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("transition", {"status": "bogus"}, "status"),
        ("assign", {"team": "no-such-team", "reason": "x"}, "team"),
        ("assign", {"team": "globex-security", "assignee": "nobody@example.test", "reason": "x"}, "assignee"),
        ("reply", {"body": ""}, "body"),
        ("reply", {"body": "x" * 20_001}, "body"),
        ("priority", {"impact": "high"}, "reason"),
        ("resolve", {}, "resolution"),
    ],
)
def test_bad_action_input_names_the_field_and_changes_nothing(world, ticket, path, body, field):
    before = TicketEvent.objects.filter(ticket=ticket).count()
    response = post_json(client_as(world.people["agent"]), f"/api/tickets/{ticket.number}/{path}", body)
    assert response.status_code == 422, response.content
    assert field in problem_fields(response)
    assert TicketEvent.objects.filter(ticket=ticket).count() == before


def test_refused_transition_is_409_problem(world, ticket):
    response = post_json(
        client_as(world.people["resolver"]), f"/api/tickets/{ticket.number}/reopen", {"reason": "not resolved yet"}
    )
    assert response.status_code in (409, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_requester_may_not_note_or_route(world, ticket):
    requester = client_as(world.people["requester"])
    assert post_json(requester, f"/api/tickets/{ticket.number}/note", {"body": "x"}).status_code == 403
    assert post_json(requester, f"/api/tickets/{ticket.number}/route").status_code == 403


def test_attachment_upload(world, ticket):
    upload = SimpleUploadedFile("log.txt", b"posting failed at 09:00\n", content_type="text/plain")
    response = client_as(world.people["requester"]).post(
        f"/api/tickets/{ticket.number}/attachments", {"upload": upload}
    )
    assert response.status_code == 201, response.content
    assert response.json()["data"]["filename"] == "log.txt"


def test_attachment_of_a_refused_type_names_the_field(world, ticket):
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/x-msdownload")
    response = client_as(world.people["requester"]).post(
        f"/api/tickets/{ticket.number}/attachments", {"upload": upload}
    )
    assert response.status_code == 422
    assert problem_fields(response) == {"upload"}


def test_internal_notes_reach_the_vendor_team_that_works_the_ticket_and_never_the_requester(world, ticket):
    actions.add_note(ticket, actor=world.people["resolver"], body="Disk SMART errors in the log")
    actions.assign_ticket(ticket, actor=world.people["resolver"], team=world.teams["hardware"], reason="Disk fault")
    vendor_events = client_as(world.people["vendor-engineer"]).get(f"/api/tickets/{ticket.number}/events").json()
    assert "note" in [event["type"] for event in vendor_events]
    requester_events = client_as(world.people["requester"]).get(f"/api/tickets/{ticket.number}/events").json()
    assert requester_events and all(event["public"] for event in requester_events)
    assert "note" not in [event["type"] for event in requester_events]


def test_edit_fields_and_assignee(world, ticket):
    client = client_as(world.people["resolver"])
    url = f"/api/tickets/{ticket.number}"
    edited = client.patch(url, data='{"title": "Posting period locked"}', content_type="application/json")
    assert edited.status_code == 200, edited.content
    assert edited.json()["title"] == "Posting period locked"
    # The service and category are corrected with a reason (POST .../correction), never edited here.
    reclassified = client.patch(
        url, data='{"title": "Period locked", "service": "mes-asia", "category": "x"}', content_type="application/json"
    )
    assert reclassified.status_code == 422 and problem_fields(reclassified) == {"service", "category"}
    assert Ticket.objects.get(pk=ticket.pk).title == "Posting period locked"
    taken = post_json(client, f"{url}/assignee", {"assignee": "resolver@example.test"})
    assert taken.status_code == 200 and taken.json()["assignee"]["full_name"] == "Resolver"
    dropped = post_json(client, f"{url}/assignee", {"assignee": None})
    assert dropped.status_code == 200 and dropped.json()["assignee"] is None


def test_follow_and_unfollow(world, ticket):
    manager = client_as(world.people["customer-manager"])
    url = f"/api/tickets/{ticket.number}/watchers"
    followed = post_json(manager, url, {"user": "customer-manager@example.test"})
    assert followed.status_code == 200
    assert [w["full_name"] for w in followed.json()["watchers"]] == ["Customer Manager"]
    again = post_json(manager, url, {"user": "customer-manager@example.test"})
    assert again.status_code == 409 and problem_fields(again) == {"user"}
    someone_else = post_json(manager, url, {"user": "requester@example.test"})
    assert someone_else.status_code == 403
    left = manager.delete(f"{url}/{world.people['customer-manager'].pk}")
    assert left.status_code == 200 and left.json()["watchers"] == []


def test_events_since_a_sequence_number(world, ticket):
    client = client_as(world.people["resolver"])
    everything = client.get(f"/api/tickets/{ticket.number}/events").json()
    newer = client.get(f"/api/tickets/{ticket.number}/events?after=2").json()
    assert [event["seq"] for event in newer] == [event["seq"] for event in everything if event["seq"] > 2]
    assert problem_fields(client.get(f"/api/tickets/{ticket.number}/events?after=-1")) == {"after"}
