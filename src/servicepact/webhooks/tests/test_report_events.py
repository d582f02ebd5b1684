"""Report events by webhook, against a real HTTP receiver: a stored report (with the checkpoint that signed
it) and its restatement reach the contract's customer and provider, identified and verifiable, without
figures or people; other organizations hear nothing."""

import pytest

from servicepact.accounts.models import Membership, Role
from servicepact.desk import actions
from servicepact.evidence.models import Checkpoint
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting.generation import ReportRequest, generate_report, restate_report
from servicepact.slm.tests.report_world import WEEK, play_week
from servicepact.testing import factories
from servicepact.webhooks import actions as webhooks
from servicepact.webhooks.models import Delivery
from servicepact.webhooks.sending import send_due
from servicepact.webhooks.signing import HEADER, verify
from servicepact.webhooks.tests.receiver import http_receiver

EVENTS = ["report.generated", "report.restated"]


@pytest.fixture
def receiver():
    with http_receiver() as running:
        yield running


def administrator(organization, email: str):
    person = factories.UserFactory(email=email, organization=organization)
    Membership.objects.create(user=person, organization=organization, role=Role.ADMINISTRATOR)
    return person


def test_a_stored_report_and_its_restatement_reach_the_contracts_customer_and_provider(world, receiver):
    tickets = play_week(world)
    provider = webhooks.create_endpoint(
        actor=world.people["administrator"], name="noc", url=receiver.url, events=EVENTS
    )
    customer = webhooks.create_endpoint(
        actor=administrator(world.customer, "globex-admin@example.test"),
        name="itsm",
        url=receiver.url + "/globex",
        events=EVENTS,
    )
    webhooks.create_endpoint(
        actor=administrator(world.vendor, "vendor-admin@example.test"),
        name="vendor",
        url=receiver.url + "/vendor",
        events=EVENTS,
    )
    webhooks.create_endpoint(
        actor=administrator(world.other_customer, "initech-admin@example.test"),
        name="other",
        url=receiver.url + "/initech",
        events=EVENTS,
    )
    webhooks.create_endpoint(  # the customer's endpoint for tickets only hears no report
        actor=world.people["administrator"], name="tickets", url=receiver.url + "/tickets", events=["ticket.created"]
    )
    Delivery.objects.all().delete()
    request = ReportRequest(world.contract, ReportKind.WEEKLY, WEEK)
    original = generate_report(request)
    assert generate_report(request).pk == original.pk  # asking again stores and sends nothing
    actions.correct_classification(
        tickets["open"],
        actor=world.people["agent"],
        service=world.services["hr-portal"],
        reason="Reported on SAP, but it is the HR portal's leave form",
    )
    Delivery.objects.exclude(event__startswith="report.").delete()
    restated = restate_report(original, actor=world.people["analyst"], reason="Service corrected on the open ticket")

    assert send_due().delivered == 4
    heard = sorted((request.path, request.payload["event"]) for request in receiver.received)
    assert heard == [
        ("/hooks/servicepact", "report.generated"),
        ("/hooks/servicepact", "report.restated"),
        ("/hooks/servicepact/globex", "report.generated"),
        ("/hooks/servicepact/globex", "report.restated"),
    ]  # the vendor does not read the contract's reports, Initech is no party to it
    secrets = {"/hooks/servicepact": provider.secret, "/hooks/servicepact/globex": customer.secret}
    for received in receiver.received:
        assert verify(secrets[received.path], received.headers[HEADER], received.body)
        assert b"@example.test" not in received.body  # nobody's address
        assert "measures" not in received.payload["report"]
    generated = next(r.payload for r in receiver.received if r.payload["event"] == "report.generated")
    checkpoint = Checkpoint.objects.get(report=original)
    assert generated["report"] == {
        "id": original.pk,
        "contract": "globex-ito",
        "kind": "weekly",
        "scope": "contract",
        "scope_key": "",
        "period": WEEK,
        "from": original.period_start.isoformat(),
        "to": original.period_end.isoformat(),
        "contract_version": original.contract_version.number,
        "contract_sha256": original.contract_sha256,
        "events_sha256": original.events_sha256,
        "generated_at": original.generated_at.isoformat(),
        "restates": None,
        "reason": "",
        "checkpoint": {"sequence": checkpoint.sequence, "root": checkpoint.root},
        "path": original.get_absolute_url(),
    }
    again = next(r.payload for r in receiver.received if r.payload["event"] == "report.restated")
    assert again["report"]["id"] == restated.pk and again["report"]["restates"] == original.pk
    assert again["report"]["reason"] == "Service corrected on the open ticket"
    assert again["report"]["events_sha256"] == restated.events_sha256 != original.events_sha256
