from servicepact.desk import actions
from servicepact.permissions import can_see_internal


def test_internal_notes_are_for_the_provider_and_the_teams_that_held_the_ticket(world):
    people = world.people
    ticket = actions.create_ticket(
        actor=people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Docking station dead",
        impact="low",
        urgency="low",
        category="hardware-onsite",
    )
    actions.assign_ticket(ticket, actor=people["agent"], team=world.teams["hardware"])
    ticket.refresh_from_db()

    assert ticket.team_visits.filter(team=world.teams["hardware"]).exists()
    assert can_see_internal(people["vendor-engineer"], ticket)
    assert can_see_internal(people["agent"], ticket)
    assert not can_see_internal(people["requester"], ticket)
    assert not can_see_internal(people["security-resolver"], ticket)  # a team the ticket never reached
