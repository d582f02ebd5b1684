"""The demo's request catalogue and service requests: fulfilled, approved with tasks under way, waiting
for the manager's approval (with a notice each), rejected. (The demo command runs ``make_requests``
after its history.)"""

from datetime import UTC, datetime

from servicepact.catalog.models import Approval, CatalogItem, ServiceRequest
from servicepact.demo.requests import make_requests
from servicepact.demo.scenario import load_scenario
from servicepact.desk.models import Kind, Status, Ticket
from servicepact.notify.models import Notice
from servicepact.slm.models import ClockState, ClockStateKind

END = datetime(2026, 11, 2, 12, tzinfo=UTC)


def test_the_demo_makes_requests_in_every_state(db):
    scenario = load_scenario(signed_at=datetime(2025, 12, 18, tzinfo=UTC))
    result = make_requests(scenario, END)
    assert CatalogItem.objects.count() == result.items >= 5
    requests = ServiceRequest.objects.all()
    assert requests.count() == result.requests and Ticket.objects.filter(kind=Kind.REQUEST).count() == result.requests
    assert set(requests.values_list("approval", flat=True)) == set(Approval.values)
    assert Ticket.objects.filter(kind=Kind.REQUEST, status=Status.RESOLVED).count() == 2
    assert Ticket.objects.filter(kind=Kind.REQUEST, status=Status.CLOSED).count() == 1
    manager = scenario.people["customer-manager"]
    assert Notice.objects.filter(recipient=manager, text__contains="approval").count() == result.pending == 3
    assert not Ticket.objects.filter(kind=Kind.REQUEST, created_at__gt=END).exists()
    # The desk answered every request within its response target, approval or not.
    responses = ClockState.objects.filter(ticket__kind=Kind.REQUEST, clock="response")
    assert responses.count() == result.requests
    assert set(responses.values_list("state", flat=True)) == {ClockStateKind.MET}
