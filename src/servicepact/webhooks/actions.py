"""Every write of outgoing webhooks: endpoints (created by an organization's administrators) and the
deliveries queued in the transaction of the change they tell of, sent on commit by the worker."""

import secrets
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket, TicketEvent
from servicepact.notify.actions import notifications_silenced
from servicepact.permissions import Principal
from servicepact.permissions.webhooks import administers_webhooks, can_manage_endpoint
from servicepact.refusals import ActionRefused
from servicepact.runtime.generation import ProcessCache
from servicepact.slm.models import StoredReport
from servicepact.webhooks.models import Delivery, Endpoint, WebhookEvent
from servicepact.webhooks.payloads import (
    as_organization,
    event_name,
    report_event_name,
    report_payload,
    ticket_event_payload,
)
from servicepact.webhooks.tasks import deliver_pending

# Whether a contract's parties have an active endpoint, per process under the caches' generation: most
# contracts have none, and then an event costs no query.
_listening = ProcessCache()

NAME_MAX = Endpoint._meta.get_field("name").max_length
URL_MAX = Endpoint._meta.get_field("url").max_length


def refuse(message: str, field: str, status: int = 422):
    raise ActionRefused(message, errors={field: [message]}, status=status)


def _checked(name: str, url: str, events: Iterable[str]) -> tuple[str, str, list[str]]:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        refuse(_("name: give a name of 1 to %(limit)d characters.") % {"limit": NAME_MAX}, "name")
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        refuse(_("url: %(url)s is not an http or https address.") % {"url": url[:200]}, "url")
    if len(url) > URL_MAX:
        refuse(_("url is longer than %(limit)d characters.") % {"limit": URL_MAX}, "url")
    chosen = list(dict.fromkeys(events))
    known = set(WebhookEvent.values)
    for value in chosen:
        if value not in known:
            refuse(_("events: %(event)s is not an event a webhook can hear of.") % {"event": value}, "events")
    if not chosen:
        refuse(_("events: choose at least one event."), "events")
    return name, url, chosen


def create_endpoint(*, actor: User, name: str, url: str, events: Iterable[str]) -> Endpoint:
    """An endpoint of the actor's organization, with a new secret to verify its payloads by."""
    if not administers_webhooks(actor):
        raise PermissionDenied(_("Only your organization's administrators manage its webhooks."))
    name, url, chosen = _checked(name, url, events)
    with transaction.atomic():
        if Endpoint.objects.filter(organization_id=actor.organization_id, name=name).exists():
            refuse(_("Your organization already has a webhook named %(name)s.") % {"name": name}, "name", 409)
        return Endpoint.objects.create(
            organization_id=actor.organization_id,
            name=name,
            url=url,
            events=chosen,
            secret=new_secret(),
            created_by=actor,
            created_at=timezone.now(),
        )


def update_endpoint(
    endpoint: Endpoint, *, actor: User, name: str, url: str, events: Iterable[str], active: bool
) -> Endpoint:
    if not can_manage_endpoint(actor, endpoint):
        raise PermissionDenied(_("Only your organization's administrators manage its webhooks."))
    name, url, chosen = _checked(name, url, events)
    with transaction.atomic():
        clash = Endpoint.objects.filter(organization_id=endpoint.organization_id, name=name).exclude(pk=endpoint.pk)
        if clash.exists():
            refuse(_("Your organization already has a webhook named %(name)s.") % {"name": name}, "name", 409)
        Endpoint.objects.filter(pk=endpoint.pk).update(name=name, url=url, events=chosen, active=active)
    endpoint.refresh_from_db()
    return endpoint


def rotate_secret(endpoint: Endpoint, *, actor: User) -> Endpoint:
    if not can_manage_endpoint(actor, endpoint):
        raise PermissionDenied(_("Only your organization's administrators manage its webhooks."))
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(secret=new_secret())
    endpoint.refresh_from_db()
    return endpoint


def send_ping(endpoint: Endpoint, *, actor: User) -> Delivery:
    """A test delivery, whatever events the endpoint takes: to check the receiver and its verification."""
    if not can_manage_endpoint(actor, endpoint):
        raise PermissionDenied(_("Only your organization's administrators manage its webhooks."))
    with transaction.atomic():
        return _queue(endpoint, "ping", {"event": "ping", "occurred_at": timezone.now().isoformat()}, "")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _queue(endpoint: Endpoint, event: str, payload: dict, key: str, at: datetime | None = None) -> Delivery:
    at = at or timezone.now()
    delivery = Delivery.objects.create(
        endpoint=endpoint, event=event, payload=payload, key=key, created_at=at, next_attempt_at=at
    )
    transaction.on_commit(_wake_sender)
    return delivery


def _wake_sender() -> None:
    deliver_pending.enqueue()


def emit(
    endpoints: QuerySet, event: str, build: Callable[[Principal], dict | None], *, key: str = "", at=None
) -> list[Delivery]:
    """Queue ``event`` to those of ``endpoints`` (active ones that take it) with the payload ``build`` makes
    for each one's organization (None: that organization may not hear of it). Call it inside the
    transaction of the change: deliveries leave only if it commits. One query when no endpoint listens."""
    if notifications_silenced():
        return []
    listening = [
        endpoint
        for endpoint in endpoints.filter(active=True).select_related("organization")
        if event in endpoint.events or (event.startswith("page.") and WebhookEvent.PAGE in endpoint.events)
    ]
    queued = []
    payloads: dict[int, dict | None] = {}
    for endpoint in listening:
        if endpoint.organization_id not in payloads:
            payloads[endpoint.organization_id] = build(as_organization(endpoint.organization))
        payload = payloads[endpoint.organization_id]
        if payload is None:
            continue
        if key and Delivery.objects.filter(endpoint=endpoint, key=key).exists():
            continue
        queued.append(_queue(endpoint, event, payload, key, at))
    return queued


def of_organizations(ids: Iterable[int]) -> QuerySet:
    return Endpoint.objects.filter(organization_id__in=list(ids))


def of_contract_parties(contract_id: int) -> QuerySet:
    """The endpoints of a contract's customer, provider and other vendors, as one query."""
    contracts = Contract.objects.filter(pk=contract_id)
    return Endpoint.objects.filter(
        Q(organization__in=contracts.values("customer_id"))
        | Q(organization__in=contracts.values("provider_id"))
        | Q(organization__in=Contract.vendors.through.objects.filter(contract_id=contract_id).values("organization_id"))
    )


def parties_listen(contract_id: int, generation: int | None) -> bool:
    """Whether one of the contract's parties has an active endpoint (kept under ``generation``): when not,
    ``ticket_event_recorded`` would queue nothing."""
    return _listening.get(
        generation, contract_id, lambda: of_contract_parties(contract_id).filter(active=True).exists()
    )


def ticket_event_recorded(ticket: Ticket, event: TicketEvent) -> None:
    """The hook of the desk's ``append``: every event on a ticket's timeline, to the contract's parties."""
    emit(
        of_contract_parties(ticket.contract_id),
        event_name(event),
        lambda who: ticket_event_payload(ticket, event, who),
        key=f"ticket:{ticket.pk}:{event.seq}",
        at=event.at,
    )


def report_stored(report: StoredReport) -> None:
    """The hook of report storing (a period's report generated, or a restatement): to the contract's
    customer and provider, once it is stored and its checkpoint taken."""
    emit(
        of_contract_parties(report.contract_id),
        report_event_name(report),
        lambda who: report_payload(report, who),
        key=f"report:{report.pk}",
        at=report.generated_at,
    )
