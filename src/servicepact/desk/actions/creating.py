"""Opening a ticket: number, pinned contract version, priority from the contract, the desk's queue."""

import re
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.accounts.models import Team, User
from servicepact.contracts.actions import version_in_force
from servicepact.contracts.models import Category, Contract, Service, attach_terms_in_force
from servicepact.desk.actions.notices import Phrase, tell
from servicepact.desk.actions.recording import instant
from servicepact.desk.eventlog import kernel_records
from servicepact.desk.hashchain import chain
from servicepact.desk.models import EventType, Impact, Kind, Status, Ticket, TicketEvent, TicketTeam, Urgency
from servicepact.desk.numbering import next_number
from servicepact.permissions import TRIAGE_ROLES, can_create_ticket, principal_of
from servicepact.refusals import ActionRefused
from servicepact.runtime.generation import ProcessCache, generation_for
from servicepact.sla.events import Event
from servicepact.slm.evaluation import evaluate, version_contract
from servicepact.slm.live import due_and_breached, store_clocks
from servicepact.webhooks.actions import parties_listen, ticket_event_recorded

CATEGORY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
TITLE_MAX = 200
# Each provider's service desk team, per process under the caches' generation.
_desks = ProcessCache()


def create_ticket(
    *,
    actor: User,
    contract: Contract,
    service: Service,
    title: str,
    impact: str,
    urgency: str,
    description: str = "",
    kind: str = Kind.INCIDENT,
    category: str = "",
    requester: User | None = None,
    priority: str | None = None,
    priority_reason: str = "",
    at: datetime | None = None,
) -> Ticket:
    """A new ticket in the provider's service desk queue, status ``new``; event ``created``."""
    if not can_create_ticket(actor, contract):
        raise PermissionDenied(_("You may not open tickets on this contract."))
    at = instant(at)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("A title is required.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("The title is longer than %(limit)d characters.") % {"limit": TITLE_MAX}]
    if impact not in Impact.values:
        errors["impact"] = [
            _("Impact %(value)r is not one of: %(allowed)s.") % {"value": impact, "allowed": ", ".join(Impact.values)}
        ]
    if urgency not in Urgency.values:
        errors["urgency"] = [
            _("Urgency %(value)r is not one of: %(allowed)s.")
            % {"value": urgency, "allowed": ", ".join(Urgency.values)}
        ]
    if kind not in Kind.values:
        errors["kind"] = [
            _("Kind %(value)r is not one of: %(allowed)s.") % {"value": kind, "allowed": ", ".join(Kind.values)}
        ]
    if service.contract_id != contract.pk:
        errors["service"] = [
            _("Service %(service)s is not part of contract %(contract)s.")
            % {"service": service.key, "contract": contract.slug}
        ]
    category_error = category_problem(contract, category)
    if category_error:
        errors["category"] = [category_error]
    requester, requester_problem = _requester(actor, contract, requester)
    if requester_problem:
        errors["requester"] = [requester_problem]
    if priority is not None:
        who = principal_of(actor)
        may_override = who.is_superuser or (who.organization_id == contract.provider_id and who.has(*TRIAGE_ROLES))
        if not may_override:
            errors["priority"] = [_("Only the provider's service desk may set a priority by hand.")]
        if not (priority_reason or "").strip():
            errors["priority_reason"] = [_("Say why the priority differs from the contract's matrix.")]
    if errors:
        raise ActionRefused(_("The ticket was not opened: some fields are invalid."), errors=errors)

    # Everything is read before the transaction, most of it from the per-process caches, so that the write
    # (SQLite's single writer lock) holds only the writes.
    generation = generation_for(actor)
    version = version_in_force(contract, at, generation=generation)
    terms = version_contract(version)
    if service.key not in terms.services:
        message = _("Service %(service)s is not in contract %(contract)s version %(version)d.") % {
            "service": service.key,
            "contract": contract.slug,
            "version": version.number,
        }
        raise ActionRefused(message, errors={"service": [message]})
    matrix_priority = terms.priority_for(impact, urgency)
    if priority is not None and priority not in terms.priorities:
        message = _("Priority %(value)r is not one of the contract's: %(allowed)s.") % {
            "value": priority,
            "allowed": ", ".join(terms.priorities),
        }
        raise ActionRefused(message, errors={"priority": [message]})
    desk = service_desk(contract.provider_id, generation)
    if desk is None:
        message = _("The provider of contract %(contract)s has no service desk team to receive tickets.") % {
            "contract": contract.slug
        }
        raise ActionRefused(message, errors={"contract": [message]}, status=409)

    chosen = priority or matrix_priority
    data = {
        "priority": chosen,
        "service": service.key,
        "category": category,
        "team": desk.slug,
        "kind": kind,
        "impact": impact,
        "urgency": urgency,
    }
    if priority is not None:
        data["matrix_priority"] = matrix_priority
        data["priority_reason"] = priority_reason.strip()
    listening = parties_listen(contract.pk, generation)
    with transaction.atomic():
        ticket = Ticket(
            number=next_number(kind),
            kind=kind,
            contract=contract,
            contract_version=version,
            customer_id=contract.customer_id,
            service=service,
            category=category,
            title=title,
            description=description or "",
            requester=requester,
            impact=impact,
            urgency=urgency,
            priority=chosen,
            priority_overridden=chosen != matrix_priority,
            status=Status.NEW,
            team=desk,
            created_at=at,
            updated_at=at,
        )
        event = TicketEvent(type=EventType.CREATED, at=at, actor=actor, public=True, data=data)
        chain(ticket, event)
        # The new ticket's clocks follow from the event in hand: nothing is read back, and the ticket row
        # goes in with its due instant (what ``refresh_clocks`` would read, store and update).
        clocks = evaluate(terms, opening_log(ticket.number, [event]), at)
        ticket.due_at, ticket.breached = due_and_breached(clocks)
        ticket.save()
        event.ticket = ticket
        event.save()
        TicketTeam.objects.create(ticket=ticket, team=desk, first_at=at)
        if listening:
            ticket_event_recorded(ticket, event)
        store_clocks(ticket, terms, clocks, {}, at)
        tell(
            ticket,
            recipients=[requester, desk.email],
            actor=actor,
            what=gettext_lazy("received"),
            at=at,
            body=Phrase(gettext_lazy("The service desk received this ticket, priority %(priority)s."), priority=chosen),
        )
    return ticket


def service_desk(provider_id: int, generation: int | None) -> Team | None:
    """The provider's service desk team (the first, if several), kept under ``generation``."""
    names = [field.attname for field in Team._meta.concrete_fields]

    def read() -> tuple | None:
        rows = Team.objects.filter(organization_id=provider_id, is_service_desk=True).order_by("pk")
        return rows.values_list(*names).first()

    values = _desks.get(generation, provider_id, read)
    return None if values is None else Team.from_db(DEFAULT_DB_ALIAS, names, values)


def opening_log(number: str, events: list[TicketEvent]) -> list[Event]:
    """The kernel's log of a ticket made of ``events`` (in seq order), as ``kernel_events`` reads it back."""
    records = kernel_records((event.type, event.at, event.data) for event in events)
    return [Event(number, at, kind, line, fields) for line, (at, kind, fields) in enumerate(records, start=1)]


def category_problem(contract: Contract, category: str) -> str | None:
    if not category:
        return None
    if not CATEGORY_PATTERN.match(category):
        return _("Category %(value)r must be lower-case letters, digits and hyphens.") % {"value": category}
    known = list(Category.objects.filter(contract=contract).values_list("key", flat=True))
    if known and category not in known:
        return _("Category %(value)r is not one of contract %(contract)s's: %(allowed)s.") % {
            "value": category,
            "contract": contract.slug,
            "allowed": ", ".join(sorted(known)),
        }
    return None


def _requester(actor: User, contract: Contract, requester: User | None) -> tuple[User, str | None]:
    """The requester and a problem with them, if any: a person of the contract's customer."""
    if requester is None:
        if actor.organization_id == contract.customer_id:
            return actor, None
        return actor, _("Name the customer's person for whom the ticket is opened.")
    if requester.organization_id != contract.customer_id:
        return requester, _("%(email)s is not a person of the contract's customer.") % {"email": requester.email}
    return requester, None


def as_written(ticket: Ticket) -> Ticket:
    """The new ticket as ``create_ticket`` wrote it, holding every relation an answer shows, so that nothing is
    read back: its service named by the version it was just pinned to (the version in force), nobody watching it
    yet."""
    attach_terms_in_force(ticket.service, ticket.contract_version)
    ticket._prefetched_objects_cache = {"watchers": User.objects.none()}
    return ticket
