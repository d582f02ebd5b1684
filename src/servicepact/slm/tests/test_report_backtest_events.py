"""The backtest reads the contract's events once and names those a draft cannot read."""

from servicepact.desk.eventlog import kernel_event_log
from servicepact.desk.models import Ticket
from servicepact.desk.tests.test_eventlog import REFERENCE, quick_password_hashing, worked_tickets  # noqa: F401
from servicepact.sla.contract import load_contract
from servicepact.slm.reporting.backtesting import unreadable_events


def test_the_backtest_names_events_a_draft_cannot_read(worked_tickets):
    reference = load_contract(REFERENCE.read_text(), "globex-ito.yaml")
    events = kernel_event_log(Ticket.objects.all(), reference)
    assert unreadable_events(events, reference) == []
    narrower = load_contract(
        REFERENCE.read_text().replace("  sso:       {name: Single sign-on, tier: 1, calendar: eu-business}\n", ""),
        "draft.yaml",
    )
    assert unreadable_events(events, narrower) == [
        "events:INC0000002: service 'sso' is not one of the draft's: sap-erp, mes-asia, hr-portal"
    ]
