"""Outgoing webhooks against a real HTTP receiver: signed payloads with only what each organization may
see, retries with exponential backoff, giving up, and nothing for silenced history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.accounts.models import Membership, Role
from servicepact.desk import actions
from servicepact.notify.actions import silenced
from servicepact.notify.tests.smtp_server import free_port
from servicepact.refusals import ActionRefused
from servicepact.testing import factories
from servicepact.webhooks import actions as webhooks
from servicepact.webhooks.models import Delivery, DeliveryStatus, Endpoint
from servicepact.webhooks.sending import MAX_TRIES, retry_wait, send_due
from servicepact.webhooks.signing import HEADER, verify
from servicepact.webhooks.tests.receiver import http_receiver


@pytest.fixture
def receiver():
    with http_receiver() as running:
        yield running


@pytest.fixture
def customer_admin(world):
    person = factories.UserFactory(email="globex-admin@example.test", organization=world.customer)
    Membership.objects.create(user=person, organization=world.customer, role=Role.ADMINISTRATOR)
    return person


def new_ticket(world):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="SAP posting fails",
        impact="high",
        urgency="medium",
    )


def test_each_party_hears_what_it_may_see_signed_with_its_secret(world, receiver, customer_admin):
    events = ["ticket.created", "ticket.note", "ticket.replied"]
    provider = webhooks.create_endpoint(
        actor=world.people["administrator"], name="noc", url=receiver.url, events=events
    )
    customer = webhooks.create_endpoint(actor=customer_admin, name="itsm", url=receiver.url + "/globex", events=events)
    vendor_admin = factories.UserFactory(email="vendor-admin@example.test", organization=world.vendor)
    Membership.objects.create(user=vendor_admin, organization=world.vendor, role=Role.ADMINISTRATOR)
    webhooks.create_endpoint(actor=vendor_admin, name="vendor", url=receiver.url + "/vendor", events=events)
    other_admin = factories.UserFactory(email="initech-admin@example.test", organization=world.other_customer)
    Membership.objects.create(user=other_admin, organization=world.other_customer, role=Role.ADMINISTRATOR)
    webhooks.create_endpoint(actor=other_admin, name="other", url=receiver.url + "/initech", events=events)
    ticket = new_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"])
    actions.add_note(ticket, actor=world.people["resolver"], body="Posting period lock suspected.")
    actions.reply(ticket, actor=world.people["resolver"], body="Looking into it.")

    actions.assign_ticket(ticket, actor=world.people["agent"], team=world.teams["hardware"], reason="Badge reader")
    actions.add_note(ticket, actor=world.people["vendor-engineer"], body="Reader replaced.")
    actions.reply(ticket, actor=world.people["vendor-engineer"], body="Please try your badge again.")

    assert send_due().delivered == 10
    by_endpoint = {}
    for request in receiver.received:
        by_endpoint.setdefault(request.path, []).append(request.payload["event"])
    every = ["ticket.created", "ticket.note", "ticket.replied", "ticket.note", "ticket.replied"]
    assert by_endpoint["/hooks/servicepact"] == every
    assert by_endpoint["/hooks/servicepact/globex"] == every  # the customer's administrators read internal notes
    # The vendor's administrators see only the tickets of the vendor's teams they are in (none here), and
    # Initech is no party to the contract: neither hears anything.
    assert set(by_endpoint) == {"/hooks/servicepact", "/hooks/servicepact/globex"}
    for request in receiver.received:
        secret = {"/hooks/servicepact": provider.secret, "/hooks/servicepact/globex": customer.secret}.get(request.path)
        if secret is None:
            continue
        assert verify(secret, request.headers[HEADER], request.body)
        assert not verify("whsec_wrong", request.headers[HEADER], request.body)
        assert not verify(secret, request.headers[HEADER], request.body + b" ")
        assert request.headers["Servicepact-Event"] == request.payload["event"]
        assert b"@example.test" not in request.body  # nobody's address
    created = receiver.received[0].payload
    assert created["ticket"]["number"] == ticket.number and created["ticket"]["contract"] == "globex-ito"
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 10


def test_a_failing_receiver_is_retried_with_growing_waits_then_given_up(world, receiver):
    webhooks.create_endpoint(
        actor=world.people["administrator"], name="noc", url=receiver.url, events=["ticket.created"]
    )
    new_ticket(world)
    receiver.answers = [500, 503]
    now = timezone.now()
    assert send_due(now).retried == 1
    delivery = Delivery.objects.get()
    assert (delivery.tries, delivery.response_status, delivery.next_attempt_at) == (1, 500, now + retry_wait(1))
    assert send_due(now + timedelta(seconds=30)).retried == 0  # not its turn yet
    later = now + retry_wait(1)
    assert send_due(later).retried == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == later + timedelta(minutes=2)  # 1 min, then 2, 4, 8...
    assert send_due(delivery.next_attempt_at).delivered == 1
    assert len(receiver.received) == 3
    assert len({request.headers["Servicepact-Delivery"] for request in receiver.received}) == 1


def test_an_unreachable_receiver_fails_after_the_last_try(world):
    url = f"http://127.0.0.1:{free_port()}/nobody"
    webhooks.create_endpoint(actor=world.people["administrator"], name="noc", url=url, events=["ticket.created"])
    new_ticket(world)
    now = timezone.now()
    for _ in range(MAX_TRIES):
        send_due(now)
        now = Delivery.objects.get().next_attempt_at
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.tries == MAX_TRIES
    assert "Connection refused" in delivery.last_error or "URLError" in delivery.last_error


def test_history_replayed_in_silence_sends_nothing(world, receiver):
    webhooks.create_endpoint(
        actor=world.people["administrator"], name="noc", url=receiver.url, events=["ticket.created"]
    )
    with silenced():
        new_ticket(world)
    assert not Delivery.objects.exists()


def test_bad_endpoints_are_refused_by_field(world, customer_admin):
    admin = world.people["administrator"]
    for field, values in {
        "url": dict(name="a", url="ftp://example.test/", events=["ticket.created"]),
        "events": dict(name="a", url="https://example.test/", events=["ticket.eaten"]),
        "name": dict(name=" ", url="https://example.test/", events=["ticket.created"]),
    }.items():
        with pytest.raises(ActionRefused) as refused:
            webhooks.create_endpoint(actor=admin, **values)
        assert field in refused.value.errors
    assert not Endpoint.objects.exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        webhooks.create_endpoint(actor=world.people["agent"], name="a", url="https://example.test/", events=["page"])


def test_clock_warnings_reach_the_parties_that_see_the_clock(world, receiver, customer_admin):
    from datetime import UTC, datetime

    from servicepact.slm.sweep import sweep
    from servicepact.slm.tests.conftest import open_ticket, version_with_warnings

    version_with_warnings(world)
    webhooks.create_endpoint(
        actor=world.people["administrator"], name="noc", url=receiver.url, events=["clock.warning"]
    )
    webhooks.create_endpoint(actor=customer_admin, name="itsm", url=receiver.url + "/globex", events=["clock.warning"])
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=datetime(2026, 3, 2, 9, 1, tzinfo=UTC))
    sweep(datetime(2026, 3, 2, 13, 0, tzinfo=UTC))  # 50% of the resolution clock
    send_due()
    warnings = [
        (r.path, r.payload["entry"]["data"]["clock"], r.payload["entry"]["data"]["threshold"])
        for r in receiver.received
    ]
    assert ("/hooks/servicepact", "resolution", "1/2") in warnings
    assert ("/hooks/servicepact/globex", "resolution", "1/2") in warnings
    assert all("notified" not in r.payload["entry"]["data"] for r in receiver.received)
