"""Restating a ticket's clocks from its page and over the API; the list beside the original; the admin."""

import hashlib
import json
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.desk import actions
from servicepact.slm.actions import restate
from servicepact.slm.models import ReportSubscription, Restatement
from servicepact.slm.tests.conftest import clocks_of, open_ticket

RESOLVED_AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def late_ticket(world):
    """A P2 opened Monday 09:00Z and resolved Tuesday 12:00Z: 13 h of business time against 8 h, breached."""
    ticket = open_ticket(world)
    actions.reply(ticket, actor=world.people["agent"], body="On it.", at=datetime(2026, 3, 2, 9, 10, tzinfo=UTC))
    actions.resolve_ticket(ticket, actor=world.people["agent"], resolution="Reposted.", at=RESOLVED_AT)
    return ticket


@pytest.fixture
def looser(world) -> ContractVersion:
    """A draft v3 that gives P2 tickets 16 business hours."""
    source = world.version.source.replace(
        "P2: {within: 8h,  calendar: service}", "P2: {within: 16h, calendar: service}"
    )
    assert source != world.version.source
    return ContractVersion.objects.create(
        contract=world.contract,
        number=3,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=date(2026, 1, 1),
        status=VersionStatus.DRAFT,
    )


def post_restatement(client, ticket, **data):
    form = {f"restate-{key}": value for key, value in data.items()}
    return client.post(reverse("slm:ticket_restate", args=[ticket.number]), form)


def stored_clocks(ticket) -> dict:
    return {name: (row.state, row.target_s, row.elapsed_s) for name, row in clocks_of(ticket).items()}


# -- the page ----------------------------------------------------------------------------------------------------


def test_the_form_restates_and_the_page_lists_it_beside_the_original(world, client, late_ticket, looser):
    before = stored_clocks(late_ticket)
    client.force_login(world.people["analyst"])
    response = post_restatement(client, late_ticket, version="3", reason="Backtest of the 16 h draft")
    assert response.status_code == 302 and response["Location"].endswith(f"/tickets/{late_ticket.number}/#restatements")
    restatement = Restatement.objects.get(ticket=late_ticket)
    assert (restatement.contract_version, restatement.actor) == (looser, world.people["analyst"])
    assert stored_clocks(late_ticket) == before  # never over the original
    page = client.get(reverse("desk:ticket", args=[late_ticket.number])).content.decode()
    assert f'data-restatement="{restatement.pk}"' in page and "Backtest of the 16 h draft" in page
    assert "v3 instead of v1" in page
    # The resolution row differs (breached under v1, met under v3); the response row does not.
    assert '<tr class="changed" data-clock="resolution">' in page
    assert '<tr class="" data-clock="response">' in page


def test_the_customer_manager_restates_from_the_portal_page(world, client, late_ticket, looser):
    client.force_login(world.people["customer-manager"])
    page = client.get(reverse("desk:ticket", args=[late_ticket.number])).content.decode()
    assert 'id="restate-form"' in page and "v3 · Draft" in page
    assert post_restatement(client, late_ticket, version="3", reason="Our check").status_code == 302
    assert Restatement.objects.filter(ticket=late_ticket, actor=world.people["customer-manager"]).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"version": "3", "reason": "  "}, "reason", "This field is required."),
        ({"version": "1", "reason": "Same version"}, "version", "Version 1 is not another version of this ticket"),
        ({"version": "9", "reason": "No such version"}, "version", "Version 9 is not another version of this ticket"),
    ],
)
def test_refusals_reopen_the_form_with_the_field_named(world, client, late_ticket, looser, data, field, message):
    client.force_login(world.people["analyst"])
    response = post_restatement(client, late_ticket, **data)
    assert response.status_code == 422
    form = response.context["clock_panel"].restate_form
    assert list(form.errors) == [field] and message in form.errors[field][0]
    assert response.context["clock_panel"].restate_open
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Restatement.objects.exists()


def test_a_version_that_cannot_time_the_ticket_is_refused_on_the_version(world, client, late_ticket):
    source = world.version.source.replace("within: 8h,", "within: 1d,")
    ContractVersion.objects.create(
        contract=world.contract,
        number=4,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=date(2026, 1, 1),
    )
    client.force_login(world.people["analyst"])
    response = post_restatement(client, late_ticket, version="4", reason="Broken draft")
    assert response.status_code == 422
    assert "1d" in response.context["clock_panel"].restate_form.errors["version"][0]
    assert not Restatement.objects.exists()


@pytest.mark.parametrize(("person", "status"), [("requester", 403), ("agent", 403), ("other-manager", 404)])
def test_people_who_may_not_restate_are_refused(world, client, late_ticket, looser, person, status):
    client.force_login(world.people[person])
    assert post_restatement(client, late_ticket, version="3", reason="Why not").status_code == status
    assert not Restatement.objects.exists()


# -- the API -----------------------------------------------------------------------------------------------------


def api_url(ticket) -> str:
    return f"/api/tickets/{ticket.number}/restatements"


def post_json(client, url: str, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_api_restates_and_lists(world, client, late_ticket, looser):
    client.force_login(world.people["analyst"])
    response = post_json(client, api_url(late_ticket), {"version": 3, "reason": "Backtest"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["ticket"], created["version"], created["original_version"], created["actor"]) == (
        late_ticket.number,
        3,
        1,
        "analyst@example.test",
    )
    resolution = {clock["clock"]: clock for clock in created["clocks"]}["resolution"]
    original = {clock["clock"]: clock for clock in created["original_clocks"]}["resolution"]
    assert (resolution["state"], resolution["target_s"]) == ("met", 16 * 3600)
    assert (original["state"], original["breached_at"]) == ("breached", "2026-03-02T17:00:00Z")
    client.force_login(world.people["resolver"])  # works the ticket: reads restatements, may not make one
    listed = client.get(api_url(late_ticket))
    assert listed.status_code == 200 and [item["id"] for item in listed.json()] == [created["id"]]
    assert post_json(client, api_url(late_ticket), {"version": 3, "reason": "Mine"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 1, "reason": "Pinned"}, "version"),
        ({"version": 7, "reason": "Missing"}, "version"),
        ({"version": 3, "reason": "   "}, "reason"),
    ],
)
def test_api_refusals_name_the_field(world, client, late_ticket, looser, body, field):
    client.force_login(world.people["analyst"])
    response = post_json(client, api_url(late_ticket), body)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Restatement.objects.exists()


def test_the_requester_reads_no_restatements(world, client, late_ticket):
    client.force_login(world.people["requester"])
    assert client.get(api_url(late_ticket)).status_code == 403


# -- the admin ---------------------------------------------------------------------------------------------------


def test_the_admin_shows_restatements_and_reports_read_only_and_edits_subscriptions(
    world, client, late_ticket, looser, admin_user
):
    restatement = restate(late_ticket, actor=world.people["analyst"], version=looser, reason="Backtest")
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:slm_restatement_changelist"))
    assert changelist.status_code == 200 and late_ticket.number in changelist.content.decode()
    assert client.get(reverse("admin:slm_restatement_change", args=[restatement.pk])).status_code == 200
    assert client.get(reverse("admin:slm_restatement_add")).status_code == 403
    assert client.get(reverse("admin:slm_storedreport_changelist")).status_code == 200
    assert client.get(reverse("admin:slm_storedreport_add")).status_code == 403
    assert client.get(reverse("admin:slm_reportdelivery_changelist")).status_code == 200
    response = client.post(
        reverse("admin:slm_reportsubscription_add"),
        {"contract": world.contract.pk, "kind": "weekly", "recipients": '["cio@globex.example"]', "active": "on"},
    )
    assert response.status_code == 302
    assert ReportSubscription.objects.get().recipients == ["cio@globex.example"]
