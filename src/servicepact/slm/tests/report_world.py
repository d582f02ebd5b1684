"""A week of Globex tickets (ISO week 2026-W10, cut in Europe/Berlin) for the reporting tests.

| ticket | service, priority | what happens | counts as |
| --- | --- | --- | --- |
| 1 | SAP ERP, P2 | answered in 10 min, solved by the desk in 3 h | both met, first contact |
| 2 | SAP ERP, P2 | routed to application support, answered after 1 h, solved the next day | both breached |
| 3 | SSO, P1 | a major incident, answered in 5 min, solved in 2 h by security | both met |
| 4 | HR portal, P3, hardware-onsite | solved by the desk | first contact, but excluded |
| 5 | SAP ERP, P2 | reported on Thursday, still open at the week's end | open, breached |
"""

from datetime import UTC, datetime, timedelta

from servicepact.desk import actions

WEEK = "2026-W10"
# Monday 2 March 2026 00:00 in Berlin is 1 March 23:00 UTC; the week ends on 8 March 23:00 UTC.
WEEK_END = datetime(2026, 3, 8, 23, 0, tzinfo=UTC)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def _ticket(world, service: str, at: datetime, impact: str = "high", urgency: str = "medium", **extra):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services[service],
        title=f"{service} trouble at {at:%a %H:%M}",
        impact=impact,
        urgency=urgency,
        at=at,
        **extra,
    )


def play_week(world, *, later_events: bool = False) -> dict[str, object]:
    """The week's tickets by role in the table above; ``later_events`` adds events after the week's end."""
    agent = world.people["agent"]
    tickets = {}

    first = tickets["first-contact"] = _ticket(world, "sap-erp", utc(2026, 3, 2, 9, 0))
    actions.reply(first, actor=agent, body="Looking into it.", at=utc(2026, 3, 2, 9, 10))
    actions.resolve_ticket(first, actor=agent, resolution="Posting job restarted.", at=utc(2026, 3, 2, 12, 0))

    late = tickets["late"] = _ticket(world, "sap-erp", utc(2026, 3, 2, 10, 0))
    actions.route_ticket(late, actor=agent, at=utc(2026, 3, 2, 10, 5))
    actions.reply(late, actor=agent, body="Application support has it.", at=utc(2026, 3, 2, 11, 0))
    actions.resolve_ticket(late, actor=agent, resolution="Patched.", at=utc(2026, 3, 3, 15, 0))

    major = tickets["major"] = _ticket(world, "sso", utc(2026, 3, 4, 9, 0), urgency="high")
    actions.route_ticket(major, actor=agent, at=utc(2026, 3, 4, 9, 2))
    actions.reply(major, actor=agent, body="All hands.", at=utc(2026, 3, 4, 9, 5))
    actions.resolve_ticket(major, actor=agent, resolution="Certificate renewed.", at=utc(2026, 3, 4, 11, 0))

    excluded = tickets["excluded"] = _ticket(
        world, "hr-portal", utc(2026, 3, 5, 9, 0), impact="medium", category="hardware-onsite"
    )
    actions.reply(excluded, actor=agent, body="On our way.", at=utc(2026, 3, 5, 9, 30))
    actions.resolve_ticket(excluded, actor=agent, resolution="Replaced the badge reader.", at=utc(2026, 3, 5, 12, 0))

    still_open = tickets["open"] = _ticket(world, "sap-erp", utc(2026, 3, 5, 10, 0))
    actions.route_ticket(still_open, actor=agent, at=utc(2026, 3, 5, 10, 1))

    if later_events:
        actions.reply(still_open, actor=agent, body="Back on it.", at=WEEK_END + timedelta(hours=10))
        tickets["next-week"] = _ticket(world, "sap-erp", WEEK_END + timedelta(days=1))
    for ticket in tickets.values():
        ticket.refresh_from_db()
    return tickets
