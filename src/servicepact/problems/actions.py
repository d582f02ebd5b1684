"""Every write of problem management: raising and working problems, publishing known errors, linking them
to tickets, closing by the fixing change, and the recurrence settings and suggestions.

Each action takes a keyword-only ``actor``, checks the access rule, validates (a refusal names the field
and changes nothing), writes in one transaction and appends to the record's history.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.cmdb.models import ConfigurationItem
from servicepact.contracts.models import Contract, Service
from servicepact.desk.models import Ticket
from servicepact.desk.models.choices import Kind
from servicepact.history.actions import record
from servicepact.permissions.problems import (
    can_set_recurrence,
    can_work_problem,
    can_work_problems,
)
from servicepact.permissions.tickets import can_work_ticket
from servicepact.problems.models import (
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    Cause,
    KnownError,
    Problem,
    ProblemHistory,
    ProblemIncident,
    ProblemStatus,
    ProblemSuggestion,
    RecurrenceSettings,
    SuggestionHistory,
    SuggestionStatus,
    TicketKnownError,
)
from servicepact.refusals import ActionRefused

TITLE_MAX = Problem._meta.get_field("title").max_length


def _now(at: datetime | None) -> datetime:
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValueError("at: a time zone is required")
    return at


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ActionRefused(first, errors=errors)


def _clean_title(title: str, errors: dict) -> str:
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("A title is required.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("The title is longer than %(limit)d characters.") % {"limit": TITLE_MAX}]
    return title


def _incidents_of(contract: Contract, tickets: Iterable[Ticket], errors: dict) -> list[Ticket]:
    found = []
    for ticket in tickets:
        if ticket.contract_id != contract.pk:
            errors.setdefault("incidents", []).append(
                _("%(number)s is not a ticket of this contract.") % {"number": ticket.number}
            )
        else:
            found.append(ticket)
    return found


# -- problems ------------------------------------------------------------------------------------------------


def raise_problem(
    *,
    actor,
    contract: Contract,
    title: str,
    service: Service | None = None,
    category: str = "",
    description: str = "",
    incidents: Iterable[Ticket] = (),
    at: datetime | None = None,
) -> Problem:
    """A new open problem of ``contract``, from one or many of its incidents (the service and category of
    the first incident when none is given)."""
    if not can_work_problems(actor, contract):
        raise PermissionDenied(_("You may not raise problems on this contract."))
    at = _now(at)
    errors: dict[str, list[str]] = {}
    title = _clean_title(title, errors)
    incidents = _incidents_of(contract, incidents, errors)
    if service is None and incidents:
        service = incidents[0].service
        category = category or incidents[0].category
    if service is None:
        errors["service"] = [_("Name the service, or raise the problem from an incident.")]
    elif service.contract_id != contract.pk:
        errors["service"] = [_("%(service)s is not a service of this contract.") % {"service": service.key}]
    _refuse_if(errors)
    with transaction.atomic():
        problem = Problem.objects.create(
            contract=contract,
            title=title,
            description=(description or "").strip(),
            service=service,
            category=(category or "").strip(),
            opened_by=actor,
            opened_at=at,
        )
        record(
            problem,
            type=ProblemHistory.RAISED,
            actor=actor,
            at=at,
            data={"title": title, "service": service.key, "category": problem.category},
        )
        for ticket in incidents:
            _link(problem, ticket, actor=actor, at=at)
    return problem


def _link(problem: Problem, ticket: Ticket, *, actor, at: datetime) -> bool:
    _row, created = ProblemIncident.objects.get_or_create(
        problem=problem, ticket=ticket, defaults={"linked_by": actor, "linked_at": at}
    )
    if created:
        record(problem, type=ProblemHistory.INCIDENT_LINKED, actor=actor, at=at, data={"ticket": ticket.number})
    return created


def link_incidents(problem: Problem, *, actor, tickets: Iterable[Ticket], at: datetime | None = None) -> int:
    """Count more incidents as the problem's symptoms; the number newly linked."""
    if not can_work_problem(actor, problem):
        raise PermissionDenied(_("You may not work this problem."))
    at = _now(at)
    errors: dict[str, list[str]] = {}
    tickets = _incidents_of(problem.contract, tickets, errors)
    if not tickets and not errors:
        errors["incidents"] = [_("Name at least one incident.")]
    _refuse_if(errors)
    with transaction.atomic():
        return sum(_link(problem, ticket, actor=actor, at=at) for ticket in tickets)


def unlink_incident(problem: Problem, *, actor, ticket: Ticket, reason: str, at: datetime | None = None) -> None:
    if not can_work_problem(actor, problem):
        raise PermissionDenied(_("You may not work this problem."))
    at = _now(at)
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why the incident is not this problem's."), errors={"reason": [_("Required.")]})
    with transaction.atomic():
        deleted, _rows = ProblemIncident.objects.filter(problem=problem, ticket=ticket).delete()
        if not deleted:
            raise ActionRefused(_("The incident is not linked to this problem."), status=409)
        record(
            problem,
            type=ProblemHistory.INCIDENT_UNLINKED,
            actor=actor,
            at=at,
            data={"ticket": ticket.number, "reason": reason},
        )


def diagnose(
    problem: Problem,
    *,
    actor,
    cause: str,
    root_cause: str = "",
    workaround: str = "",
    at: datetime | None = None,
) -> Problem:
    """Record the kind of cause, the root cause and the workaround found so far."""
    if not can_work_problem(actor, problem):
        raise PermissionDenied(_("You may not work this problem."))
    at = _now(at)
    errors: dict[str, list[str]] = {}
    if cause not in Cause.values:
        errors["cause"] = [
            _("Cause %(value)r is not one of: %(allowed)s.") % {"value": cause, "allowed": ", ".join(Cause.values)}
        ]
    if problem.status == ProblemStatus.CLOSED:
        errors["__all__"] = [_("The problem is closed.")]
    _refuse_if(errors)
    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        problem.cause = cause
        problem.root_cause = (root_cause or "").strip()
        problem.workaround = (workaround or "").strip()
        problem.save(update_fields=["cause", "root_cause", "workaround"])
        record(
            problem,
            type=ProblemHistory.DIAGNOSED,
            actor=actor,
            at=at,
            data={"cause": cause, "root_cause": problem.root_cause, "text": problem.workaround},
        )
    return problem


def publish_known_error(
    problem: Problem,
    *,
    actor,
    title: str = "",
    symptoms: str,
    workaround: str = "",
    keywords: str = "",
    at: datetime | None = None,
) -> KnownError:
    """Publish (or revise) the problem's known error: the symptoms agents will recognize and the
    workaround (the problem's when none is given). The problem becomes a known error."""
    if not can_work_problem(actor, problem):
        raise PermissionDenied(_("You may not work this problem."))
    at = _now(at)
    problem = Problem.objects.get(pk=problem.pk)  # the workaround recorded last, not the caller's copy
    errors: dict[str, list[str]] = {}
    title = _clean_title(title or problem.title, errors)
    symptoms = (symptoms or "").strip()
    workaround = (workaround or problem.workaround or "").strip()
    if not symptoms:
        errors["symptoms"] = [_("Describe the symptoms agents will see.")]
    if not workaround:
        errors["workaround"] = [_("A known error needs a workaround (or record one on the problem first).")]
    if len(keywords or "") > KnownError._meta.get_field("keywords").max_length:
        errors["keywords"] = [_("Too many keywords.")]
    if problem.status == ProblemStatus.CLOSED:
        errors["__all__"] = [_("The problem is closed.")]
    _refuse_if(errors)
    fields = {"title": title, "symptoms": symptoms, "workaround": workaround, "keywords": (keywords or "").strip()}
    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        known, created = KnownError.objects.get_or_create(
            problem=problem, defaults={**fields, "published_by": actor, "published_at": at}
        )
        if not created:
            for name, value in fields.items():
                setattr(known, name, value)
            known.active = True
            known.save()
        record(known, type="published" if created else "revised", actor=actor, at=at, data=fields)
        if problem.status == ProblemStatus.OPEN:
            problem.status = ProblemStatus.KNOWN_ERROR
            problem.save(update_fields=["status"])
            record(problem, type=ProblemHistory.KNOWN_ERROR, actor=actor, at=at, data={"known_error": known.pk})
    return known


def link_known_error(ticket: Ticket, *, actor, known_error: KnownError, at: datetime | None = None) -> bool:
    """An agent finds that the ticket is the known error's symptom; the ticket also counts as one of the
    problem's incidents. False when it was linked already."""
    if not can_work_ticket(actor, ticket):
        raise PermissionDenied(_("You may not work this ticket."))
    at = _now(at)
    problem = known_error.problem
    if problem.contract_id != ticket.contract_id:
        raise ActionRefused(
            _("The known error is not of this ticket's contract."), errors={"known_error": [_("Another contract.")]}
        )
    if not known_error.active:
        raise ActionRefused(_("The known error was retired."), status=409)
    with transaction.atomic():
        _row, created = TicketKnownError.objects.get_or_create(
            ticket=ticket, known_error=known_error, defaults={"linked_by": actor, "linked_at": at}
        )
        if created:
            record(known_error, type="ticket_linked", actor=actor, at=at, data={"ticket": ticket.number})
            if problem.status != ProblemStatus.CLOSED:
                _link(problem, ticket, actor=actor, at=at)
    return created


def close_problem(problem: Problem, *, actor, closure: str, at: datetime | None = None) -> Problem:
    """Close without a change (the cause went away, or it is accepted): the reason is required."""
    if not can_work_problem(actor, problem):
        raise PermissionDenied(_("You may not work this problem."))
    closure = (closure or "").strip()
    if not closure:
        raise ActionRefused(_("Say why the problem is closed."), errors={"closure": [_("Required.")]})
    return _close(problem, actor=actor, at=_now(at), closure=closure, type=ProblemHistory.CLOSED, data={})


def link_fixing_change(problem: Problem, *, actor, change, at: datetime | None = None) -> Problem:
    """Name the change that will fix the problem: when it is implemented successfully, the problem closes."""
    if not can_work_problem(actor, problem):
        raise PermissionDenied(_("You may not work this problem."))
    at = _now(at)
    errors: dict[str, list[str]] = {}
    if change.contract_id != problem.contract_id:
        errors["change"] = [_("%(change)s is not a change of this contract.") % {"change": change.number}]
    if problem.status == ProblemStatus.CLOSED:
        errors["__all__"] = [_("The problem is closed.")]
    _refuse_if(errors)
    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        problem.fixing_change = change
        problem.save(update_fields=["fixing_change"])
        record(problem, type=ProblemHistory.CHANGE_LINKED, actor=actor, at=at, data={"change": change.number})
    return problem


def close_by_change(problem: Problem, *, actor, change, at: datetime | None = None) -> Problem:
    """Close the problem as fixed by ``change`` (a change of its contract), by one who works problems."""
    if not can_work_problem(actor, problem):
        raise PermissionDenied(_("You may not work this problem."))
    if change.contract_id != problem.contract_id:
        message = _("%(change)s is not a change of this contract.") % {"change": change.number}
        raise ActionRefused(message, errors={"change": [message]})
    return _closed_by(problem, actor=actor, change=change, at=_now(at))


def close_fixed_by(change, *, actor, at: datetime | None = None) -> list[Problem]:
    """The problems ``change`` was to fix, closed because it was implemented successfully.

    Called by the changes app's ``finish`` action inside its transaction, which has checked that ``actor``
    implements the change: that is the authority to close what it fixes.
    """
    at = _now(at)
    open_problems = Problem.objects.filter(fixing_change=change).exclude(status=ProblemStatus.CLOSED)
    return [_closed_by(problem, actor=actor, change=change, at=at) for problem in open_problems]


def _closed_by(problem: Problem, *, actor, change, at: datetime) -> Problem:
    closure = _("Fixed by change %(change)s.") % {"change": change.number}
    return _close(
        problem,
        actor=actor,
        at=at,
        closure=closure,
        type=ProblemHistory.CLOSED_BY_CHANGE,
        data={"change": change.number},
        fixed_by=change.number,
        fixing_change=change,
    )


def _close(problem: Problem, *, actor, at, closure, type, data, fixed_by="", fixing_change=None) -> Problem:
    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        if problem.status == ProblemStatus.CLOSED:
            raise ActionRefused(_("The problem is closed already."), status=409)
        problem.status = ProblemStatus.CLOSED
        problem.closed_at = at
        problem.closure = closure
        problem.fixed_by = fixed_by
        fields = ["status", "closed_at", "closure", "fixed_by"]
        if fixing_change is not None:
            problem.fixing_change = fixing_change
            fields.append("fixing_change")
        problem.save(update_fields=fields)
        record(problem, type=type, actor=actor, at=at, data={"reason": closure, **data})
        known = KnownError.objects.filter(problem=problem, active=True).first()
        if known is not None:
            known.active = False
            known.save(update_fields=["active"])
            record(known, type="retired", actor=actor, at=at, data={"reason": closure})
    return problem


def link_configuration_items(problem: Problem, *, actor, keys: Iterable[str], at: datetime | None = None) -> int:
    """Name the configuration items involved, by their keys among the contract's items; the number added."""
    if not can_work_problem(actor, problem):
        raise PermissionDenied(_("You may not work this problem."))
    at = _now(at)
    keys = list(dict.fromkeys(key.strip() for key in keys if key and key.strip()))
    if not keys:
        raise ActionRefused(_("Name at least one item."), errors={"items": [_("Required.")]})
    found = {item.key: item for item in ConfigurationItem.objects.filter(contract=problem.contract, key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        message = _("No such configuration item: %(keys)s.") % {"keys": ", ".join(missing)}
        raise ActionRefused(message, errors={"items": [message]})
    with transaction.atomic():
        have = set(problem.items.values_list("pk", flat=True))
        added = [found[key] for key in keys if found[key].pk not in have]
        problem.items.add(*added)
        for item in added:
            record(problem, type=ProblemHistory.ITEM_LINKED, actor=actor, at=at, data={"item": item.key})
    return len(added)


# -- recurrence: settings and suggestions --------------------------------------------------------------------


def settings_of(contract: Contract) -> tuple[int, int]:
    """The contract's threshold and window in days (the defaults when never set)."""
    found = RecurrenceSettings.objects.filter(contract=contract).values_list("threshold", "window_days").first()
    return found or (DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS)


def set_recurrence(*, actor, contract: Contract, threshold: int, window_days: int) -> RecurrenceSettings:
    if not can_set_recurrence(actor, contract):
        raise PermissionDenied(_("You may not change this contract's recurrence settings."))
    errors: dict[str, list[str]] = {}
    if not isinstance(threshold, int) or not 2 <= threshold <= 1000:
        errors["threshold"] = [_("The threshold is a number of incidents from 2 to 1000.")]
    if not isinstance(window_days, int) or not 1 <= window_days <= 365:
        errors["window_days"] = [_("The window is a number of days from 1 to 365.")]
    _refuse_if(errors)
    with transaction.atomic():
        found, _created = RecurrenceSettings.objects.update_or_create(
            contract=contract, defaults={"threshold": threshold, "window_days": window_days}
        )
        record(found, type="set", actor=actor, data={"threshold": threshold, "window_days": window_days})
    return found


def recurring_groups(contract: Contract, at: datetime, threshold: int, window_days: int) -> list[dict]:
    """The (service, category) groups with at least ``threshold`` incidents created in the ``window_days``
    up to ``at`` that belong to no problem yet."""
    since = at - timedelta(days=window_days)
    incidents = Ticket.objects.filter(
        contract=contract, kind=Kind.INCIDENT, created_at__gt=since, created_at__lte=at
    ).exclude(problem_links__isnull=False)
    return list(
        incidents.values("service_id", "category")
        .annotate(count=Count("id"), first_at=Min("created_at"), last_at=Max("created_at"))
        .filter(count__gte=threshold)
        .order_by("service_id", "category")
    )


def refresh_suggestions(*, contract: Contract, at: datetime | None = None) -> list[ProblemSuggestion]:
    """Store a suggestion for each recurring group (the scheduled task's work; safe to run twice): a group
    already suggested and still open grows with its new incidents; a dismissed or raised one is suggested
    again only for incidents that came after it was decided."""
    at = _now(at)
    threshold, window_days = settings_of(contract)
    since = at - timedelta(days=window_days)
    touched = []
    for group in recurring_groups(contract, at, threshold, window_days):
        with transaction.atomic():
            tickets = Ticket.objects.filter(
                contract=contract,
                kind=Kind.INCIDENT,
                service_id=group["service_id"],
                category=group["category"],
                created_at__gt=since,
                created_at__lte=at,
                problem_links__isnull=True,
            )
            decided = ProblemSuggestion.objects.filter(
                contract=contract, service_id=group["service_id"], category=group["category"]
            ).exclude(status=SuggestionStatus.OPEN)
            tickets = list(tickets.exclude(pk__in=decided.values("tickets")))
            if len(tickets) < threshold:
                continue
            suggestion = (
                ProblemSuggestion.objects.select_for_update()
                .filter(
                    contract=contract,
                    service_id=group["service_id"],
                    category=group["category"],
                    status=SuggestionStatus.OPEN,
                )
                .first()
            )
            numbers = sorted(ticket.number for ticket in tickets)
            values = {
                "incident_count": len(tickets),
                "first_at": min(ticket.created_at for ticket in tickets),
                "last_at": max(ticket.created_at for ticket in tickets),
                "threshold": threshold,
                "window_days": window_days,
            }
            if suggestion is None:
                suggestion = ProblemSuggestion.objects.create(
                    contract=contract,
                    service_id=group["service_id"],
                    category=group["category"],
                    found_at=at,
                    **values,
                )
                suggestion.tickets.set(tickets)
                record(suggestion, type=SuggestionHistory.FOUND, actor=None, at=at, data={"tickets": numbers})
            elif set(suggestion.tickets.values_list("pk", flat=True)) != {ticket.pk for ticket in tickets}:
                for name, value in values.items():
                    setattr(suggestion, name, value)
                suggestion.save()
                suggestion.tickets.set(tickets)
                record(suggestion, type=SuggestionHistory.GREW, actor=None, at=at, data={"tickets": numbers})
            touched.append(suggestion)
    return touched


def raise_from_suggestion(suggestion: ProblemSuggestion, *, actor, title: str, at: datetime | None = None) -> Problem:
    if suggestion.status != SuggestionStatus.OPEN:
        raise ActionRefused(_("The suggestion was decided already."), status=409)
    at = _now(at)
    with transaction.atomic():
        problem = raise_problem(
            actor=actor,
            contract=suggestion.contract,
            title=title,
            service=suggestion.service,
            category=suggestion.category,
            incidents=suggestion.tickets.all(),
            at=at,
        )
        ProblemSuggestion.objects.filter(pk=suggestion.pk).update(
            status=SuggestionStatus.RAISED, problem=problem, decided_by=actor
        )
        record(suggestion, type=SuggestionHistory.RAISED, actor=actor, at=at, data={"problem": problem.number})
    return problem


def dismiss_suggestion(suggestion: ProblemSuggestion, *, actor, reason: str, at: datetime | None = None) -> None:
    if not can_work_problems(actor, suggestion.contract):
        raise PermissionDenied(_("You may not work this contract's problems."))
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why the incidents are no problem."), errors={"reason": [_("Required.")]})
    if suggestion.status != SuggestionStatus.OPEN:
        raise ActionRefused(_("The suggestion was decided already."), status=409)
    at = _now(at)
    with transaction.atomic():
        ProblemSuggestion.objects.filter(pk=suggestion.pk).update(status=SuggestionStatus.DISMISSED, decided_by=actor)
        record(suggestion, type=SuggestionHistory.DISMISSED, actor=actor, at=at, data={"reason": reason})
