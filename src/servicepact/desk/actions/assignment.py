"""Whose queue and whose hands: routing by the responsibility matrix, reassigning, the assignee."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.accounts.models import Membership, Team, User
from servicepact.desk.actions.notices import Phrase, tell, watchers
from servicepact.desk.actions.recording import append, refuse, ticket_write
from servicepact.desk.models import EventType, Status, Ticket, TicketTeam
from servicepact.desk.routing import destination_team, matching_rule
from servicepact.desk.transitions import check_transition, refuse_if_finished
from servicepact.permissions import COUNTED_MEMBERSHIPS, can_triage, can_work_ticket, speaks_for_customer


def route_ticket(ticket: Ticket, *, actor: User, at: datetime | None = None) -> Ticket:
    """Send the ticket where the responsibility matrix says: a team's queue, or back to the requester."""
    if not can_triage(actor, ticket):
        raise PermissionDenied(_("You may not route this ticket."))
    with ticket_write(ticket, at) as (locked, at):
        refuse_if_finished(locked.status, _("route it"))
        rule = matching_rule(locked)
        if rule.to_requester:
            _hand_back_to_requester(locked, actor=actor, at=at, rule_description=rule.description)
        else:
            team = destination_team(rule, at)
            if team.pk == locked.team_id:
                refuse(_("The ticket is already in the queue of %(team)s.") % {"team": team.name}, "team", 409)
            reason = _("Routed by the responsibility matrix (rule %(rule)d).") % {"rule": rule.pk}
            move_to_team(locked, team, actor=actor, at=at, reason=reason, rule=rule.pk)
    return ticket


def assign_ticket(
    ticket: Ticket,
    *,
    actor: User,
    team: Team,
    assignee: User | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> Ticket:
    """Put the ticket in ``team``'s queue; moving it from one resolver team to another needs a reason."""
    if not can_work_ticket(actor, ticket):
        raise PermissionDenied(_("You may not assign this ticket."))
    with ticket_write(ticket, at) as (locked, at):
        refuse_if_finished(locked.status, _("assign it"))
        _check_team_in_contract(locked, team)
        if team.pk == locked.team_id:
            refuse(_("The ticket is already in the queue of %(team)s.") % {"team": team.name}, "team", 409)
        current = locked.team
        if current is not None and not current.is_service_desk and not (reason or "").strip():
            refuse(
                _("Say why the ticket moves from %(old)s to %(new)s.") % {"old": current.name, "new": team.name},
                "reason",
            )
        if assignee is not None:
            _check_member(assignee, team)
        move_to_team(locked, team, actor=actor, at=at, reason=(reason or "").strip(), assignee=assignee)
    return ticket


def set_assignee(
    ticket: Ticket, *, actor: User, assignee: User | None, reason: str = "", at: datetime | None = None
) -> Ticket:
    """Who in the holding team works the ticket (None: nobody in particular); a reason is kept if given."""
    if not can_work_ticket(actor, ticket):
        raise PermissionDenied(_("You may not assign this ticket."))
    with ticket_write(ticket, at) as (locked, at):
        if locked.status == Status.CLOSED:
            refuse(_("The ticket is closed; a closed ticket never changes."), "status", 409)
        new_id = assignee.pk if assignee is not None else None
        if new_id == locked.assignee_id:
            refuse(_("This person is already the assignee."), "assignee", 409)
        if assignee is not None:
            if locked.team is None:
                refuse(_("The ticket is in no team's queue."), "assignee", 409)
            _check_member(assignee, locked.team)
        _record_assignee(locked, assignee, actor=actor, at=at, reason=(reason or "").strip())
        tell(
            locked,
            recipients=[assignee],
            actor=actor,
            at=at,
            what=gettext_lazy("assigned to you"),
            body=gettext_lazy("You now work this ticket."),
        )
    return ticket


def move_to_team(
    ticket: Ticket,
    team: Team,
    *,
    actor: User,
    at: datetime,
    reason: str,
    assignee: User | None = None,
    rule: int | None = None,
) -> None:
    """Events ``assigned`` (and ``status`` assigned, ``assignee``) on the locked ticket; the team's visit."""
    data: dict = {"team": team.slug}
    if reason:
        data["reason"] = reason
    if rule is not None:
        data["rule"] = rule
    append(ticket, EventType.ASSIGNED, at=at, actor=actor, data=data)
    ticket.team = team
    TicketTeam.objects.get_or_create(ticket=ticket, team=team, defaults={"first_at": at})
    if ticket.status != Status.ASSIGNED:
        check_transition(ticket.status, Status.ASSIGNED)
        append(ticket, EventType.STATUS, at=at, actor=actor, data={"status": Status.ASSIGNED})
        ticket.status = Status.ASSIGNED
    if (assignee.pk if assignee else None) != ticket.assignee_id:
        _record_assignee(ticket, assignee, actor=actor, at=at)
    tell(
        ticket,
        recipients=[team.email, assignee],
        actor=actor,
        at=at,
        what=Phrase(gettext_lazy("assigned to %(team)s"), team=team.name),
        body=reason or gettext_lazy("The ticket is in your queue."),
    )


def _hand_back_to_requester(ticket: Ticket, *, actor: User, at: datetime, rule_description: str) -> None:
    """The customer's own IT must act: tell the requester who, and wait on the customer."""
    handed_back = Phrase(
        gettext_lazy(
            "This request is handled by your own IT, not by the service desk: please contact %(who)s. "
            "The ticket waits for you until then."
        ),
        who=rule_description or gettext_lazy("your organization's own IT"),
    )
    body = str(handed_back)
    check_transition(ticket.status, Status.PENDING_CUSTOMER)
    from_customer = speaks_for_customer(actor, ticket)
    append(ticket, EventType.REPLIED, at=at, actor=actor, data={"body": body, "from_customer": from_customer})
    if ticket.responded_at is None and not from_customer:
        ticket.responded_at = at
    append(
        ticket,
        EventType.STATUS,
        at=at,
        actor=actor,
        data={"status": Status.PENDING_CUSTOMER, "reason": _("Routed to the requester's own IT.")},
    )
    ticket.status = Status.PENDING_CUSTOMER
    tell(
        ticket,
        recipients=[ticket.requester, *watchers(ticket)],
        actor=actor,
        at=at,
        what=gettext_lazy("waiting for you"),
        body=handed_back,
    )


def _record_assignee(ticket: Ticket, assignee: User | None, *, actor: User, at: datetime, reason: str = "") -> None:
    data: dict = {"assignee": assignee.email if assignee is not None else None}
    if reason:
        data["reason"] = reason
    append(ticket, EventType.ASSIGNEE, at=at, actor=actor, public=False, data=data)
    ticket.assignee = assignee


def _check_team_in_contract(ticket: Ticket, team: Team) -> None:
    """A team of the contract's customer, provider or one of its other vendors."""
    contract = ticket.contract
    parties = {contract.customer_id, contract.provider_id}
    if team.organization_id in parties:
        return
    if contract.vendors.filter(pk=team.organization_id).exists():
        return
    refuse(
        _("Team %(team)s works for no party of contract %(contract)s.")
        % {"team": team.slug, "contract": contract.slug},
        "team",
    )


def _check_member(person: User, team: Team) -> None:
    if not Membership.objects.filter(COUNTED_MEMBERSHIPS, user=person, team=team).exists():
        refuse(_("%(email)s is not a member of %(team)s.") % {"email": person.email, "team": team.name}, "assignee")
