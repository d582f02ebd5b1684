"""Every write of major incidents: declaring one, its affected services and incidents, the timed updates
mailed to the customer's managers (through the outbox), resolving it, the outage record and the review.

Each action takes a keyword-only ``actor``, checks the access rule, validates (a refusal names the field
and changes nothing), writes in one transaction and appends to the major incident's history.
"""

import importlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Role, User
from servicepact.contracts.models import Contract, Service
from servicepact.contracts.models.service import attach_terms
from servicepact.desk.models import Ticket
from servicepact.history.actions import record
from servicepact.major_incidents.models import (
    CommunicationUpdate,
    MajorHistory,
    MajorIncident,
    MajorStatus,
    PostIncidentReview,
)
from servicepact.notify.actions import enqueue_notification
from servicepact.notify.recipients import Recipient, absolute_url, recipients_of
from servicepact.permissions import COUNTED_MEMBERSHIP_OF_USER
from servicepact.permissions.major_incidents import can_declare_major_incident, can_run_major_incident
from servicepact.refusals import ActionRefused

TITLE_MAX = MajorIncident._meta.get_field("title").max_length
MAJOR_TIER = 1


def _now(at: datetime | None) -> datetime:
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValueError("at: a time zone is required")
    return at


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ActionRefused(next(iter(errors.values()))[0], errors=errors)


def _check_services(contract: Contract, services: list[Service], errors: dict, at: datetime) -> None:
    for service in services:
        if service.contract_id != contract.pk:
            errors.setdefault("services", []).append(
                _("%(service)s is not a service of this contract.") % {"service": service.key}
            )


def _check_incidents(contract: Contract, tickets: list[Ticket], errors: dict) -> None:
    for ticket in tickets:
        if ticket.contract_id != contract.pk:
            errors.setdefault("incidents", []).append(
                _("%(number)s is not a ticket of this contract.") % {"number": ticket.number}
            )


def declare(
    *,
    actor,
    contract: Contract,
    title: str,
    services: Iterable[Service],
    started_at: datetime | None = None,
    summary: str = "",
    incidents: Iterable[Ticket] = (),
    update_interval_minutes: int = 60,
    at: datetime | None = None,
) -> MajorIncident:
    """Declare a major incident: an outage of at least one tier-1 service of the contract."""
    if not can_declare_major_incident(actor, contract):
        raise PermissionDenied(_("You may not declare major incidents on this contract."))
    at = _now(at)
    started_at = started_at or at
    services = attach_terms(services, at)
    incidents = list(incidents)
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("A title is required.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("The title is longer than %(limit)d characters.") % {"limit": TITLE_MAX}]
    if not services:
        errors["services"] = [_("Name the services that are down.")]
    _check_services(contract, services, errors, at)
    if services and "services" not in errors and not any(service.tier == MAJOR_TIER for service in services):
        errors["services"] = [
            _("A major incident is an outage of a tier-1 service; none of %(services)s is tier 1.")
            % {"services": ", ".join(service.key for service in services)}
        ]
    _check_incidents(contract, incidents, errors)
    if timezone.is_naive(started_at) or started_at > at:
        errors["started_at"] = [_("The outage cannot start after it is declared.")]
    if not 5 <= update_interval_minutes <= 24 * 60:
        errors["update_interval_minutes"] = [_("Updates are due every 5 to 1440 minutes.")]
    _refuse_if(errors)
    with transaction.atomic():
        major = MajorIncident.objects.create(
            contract=contract,
            title=title,
            summary=(summary or "").strip(),
            started_at=started_at,
            declared_at=at,
            declared_by=actor,
            update_interval_minutes=update_interval_minutes,
            next_update_due=at + timedelta(minutes=update_interval_minutes),
        )
        major.services.set(services)
        major.incidents.set(incidents)
        record(
            major,
            type=MajorHistory.DECLARED,
            actor=actor,
            at=at,
            data={
                "title": title,
                "services": [service.key for service in services],
                "incidents": [ticket.number for ticket in incidents],
                "started_at": started_at.isoformat(),
            },
        )
    return major


def _active(major: MajorIncident) -> MajorIncident:
    major = MajorIncident.objects.select_for_update().get(pk=major.pk)
    if major.status != MajorStatus.ACTIVE:
        raise ActionRefused(_("The major incident is resolved already."), status=409)
    return major


def add_services(major: MajorIncident, *, actor, services: Iterable[Service], at: datetime | None = None) -> int:
    if not can_run_major_incident(actor, major):
        raise PermissionDenied(_("You may not run this major incident."))
    at = _now(at)
    services = list(services)
    errors: dict[str, list[str]] = {}
    if not services:
        errors["services"] = [_("Name at least one service.")]
    _check_services(major.contract, services, errors, at)
    _refuse_if(errors)
    with transaction.atomic():
        major = _active(major)
        have = set(major.services.values_list("pk", flat=True))
        added = [service for service in services if service.pk not in have]
        major.services.add(*added)
        for service in added:
            record(major, type=MajorHistory.SERVICE_ADDED, actor=actor, at=at, data={"service": service.key})
    return len(added)


def link_incidents(major: MajorIncident, *, actor, tickets: Iterable[Ticket], at: datetime | None = None) -> int:
    if not can_run_major_incident(actor, major):
        raise PermissionDenied(_("You may not run this major incident."))
    at = _now(at)
    tickets = list(tickets)
    errors: dict[str, list[str]] = {}
    if not tickets:
        errors["incidents"] = [_("Name at least one incident.")]
    _check_incidents(major.contract, tickets, errors)
    _refuse_if(errors)
    with transaction.atomic():
        have = set(major.incidents.values_list("pk", flat=True))
        added = [ticket for ticket in tickets if ticket.pk not in have]
        major.incidents.add(*added)
        for ticket in added:
            record(major, type=MajorHistory.INCIDENT_LINKED, actor=actor, at=at, data={"ticket": ticket.number})
    return len(added)


def customer_managers(contract: Contract) -> list[User]:
    """Who hears the updates: the active customer managers of the contract's customer."""
    return list(
        User.objects.filter(
            COUNTED_MEMBERSHIP_OF_USER,
            organization_id=contract.customer_id,
            memberships__role=Role.CUSTOMER_MANAGER,
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def post_update(
    major: MajorIncident,
    *,
    actor,
    text: str,
    next_update_minutes: int | None = None,
    at: datetime | None = None,
) -> CommunicationUpdate:
    """A timed update to the customer: kept in the communication log and mailed to the contract's customer
    managers; the next one is due after ``next_update_minutes`` (the incident's interval by default)."""
    if not can_run_major_incident(actor, major):
        raise PermissionDenied(_("You may not run this major incident."))
    at = _now(at)
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Write the update.")]
    minutes = major.update_interval_minutes if next_update_minutes is None else next_update_minutes
    if not 5 <= minutes <= 24 * 60:
        errors["next_update_minutes"] = [_("The next update is due in 5 to 1440 minutes.")]
    _refuse_if(errors)
    with transaction.atomic():
        major = MajorIncident.objects.select_for_update().get(pk=major.pk)
        active = major.status == MajorStatus.ACTIVE
        next_at = at + timedelta(minutes=minutes) if active else None
        managers = customer_managers(major.contract)
        recipients = [person.email for person in managers]
        update = CommunicationUpdate.objects.create(
            major_incident=major, at=at, author=actor, text=text, next_update_at=next_at, recipients=recipients
        )
        major.next_update_due = next_at
        major.save(update_fields=["next_update_due"])
        for recipient in recipients_of(managers):
            with recipient.speaking():
                subject = _("[%(number)s] Major incident update: %(title)s") % {
                    "number": major.number,
                    "title": major.title,
                }
                body = _update_body(major, update, recipient)
            enqueue_notification(
                recipients=[recipient.address],
                subject=subject,
                body=body,
                key=recipient.key(f"major-incident-update:{update.pk}"),
                at=at,
            )
        record(
            major,
            type=MajorHistory.UPDATE_SENT,
            actor=actor,
            at=at,
            data={"text": text, "recipients": len(recipients), "next_update_at": next_at and next_at.isoformat()},
        )
    return update


def _update_body(major: MajorIncident, update: CommunicationUpdate, recipient: Recipient) -> str:
    """The update in the reader's language and zone; the update's own text as its author wrote it."""
    lines = [
        _("Major incident %(number)s: %(title)s") % {"number": major.number, "title": major.title},
        _("Status: %(status)s") % {"status": major.get_status_display()},
        _("Affected services: %(services)s") % {"services": ", ".join(s.name for s in major.services.all())},
        "",
        update.text,
    ]
    if update.next_update_at:
        lines += ["", _("Next update by %(at)s.") % {"at": recipient.moment(update.next_update_at)}]
    lines += ["", _("Open it: %(url)s") % {"url": absolute_url(major.get_absolute_url())}]
    return "\n".join(lines) + "\n"


def remind_overdue_updates(*, now: datetime) -> int:
    """Mail the declarer of each active major incident whose next update to the customer is overdue, once
    per due time (the outbox's key), in the declarer's language and zone; the number of reminders queued."""
    reminded = 0
    overdue = MajorIncident.objects.filter(status=MajorStatus.ACTIVE, next_update_due__lte=now)
    for major in overdue.select_related("declared_by"):
        for recipient in recipients_of([major.declared_by]):
            with recipient.speaking():
                subject = _("[%(number)s] The customer's next update is due: %(title)s") % {
                    "number": major.number,
                    "title": major.title,
                }
                due = _("The next update to the customer was due at %(at)s.") % {
                    "at": recipient.moment(major.next_update_due)
                }
                link = _("Open it: %(url)s") % {"url": absolute_url(major.get_absolute_url())}
            body = f"{due}\n\n{link}\n"
            with transaction.atomic():
                message = enqueue_notification(
                    recipients=[recipient.address],
                    subject=subject,
                    body=body,
                    # One reader, the declarer: the key names the due time it reminds of.
                    key=f"major-incident-reminder:{major.pk}:{major.next_update_due.isoformat()}",
                    at=now,
                )
            reminded += message is not None
    return reminded


def resolve(
    major: MajorIncident, *, actor, resolution: str, ended_at: datetime | None = None, at: datetime | None = None
) -> MajorIncident:
    """The services are back: the outage ends at ``ended_at`` (now by default) and no more updates are due;
    the outage is recorded for the availability figures when the availability app is installed."""
    if not can_run_major_incident(actor, major):
        raise PermissionDenied(_("You may not run this major incident."))
    at = _now(at)
    ended_at = ended_at or at
    resolution = (resolution or "").strip()
    errors: dict[str, list[str]] = {}
    if not resolution:
        errors["resolution"] = [_("Say how the services were restored.")]
    if ended_at > at or ended_at < major.started_at:
        errors["ended_at"] = [_("The outage ends between its start and now.")]
    _refuse_if(errors)
    with transaction.atomic():
        major = _active(major)
        major.status = MajorStatus.RESOLVED
        major.resolved_at = ended_at
        major.resolution = resolution
        major.next_update_due = None
        reference = record_outage(major, actor=actor, now=at)
        major.outage_reference = reference
        major.save(update_fields=["status", "resolved_at", "resolution", "next_update_due", "outage_reference"])
        record(major, type=MajorHistory.RESOLVED, actor=actor, at=at, data={"text": resolution})
        if reference:
            record(major, type=MajorHistory.OUTAGE_RECORDED, actor=actor, at=at, data={"outage": reference})
    return major


def record_outage(major: MajorIncident, *, actor, now: datetime) -> str:
    """The hook to the availability app: the outage of each affected service, unplanned, from the start to
    the resolution, with the major incident as its reference. Returns the outage records' references ("" when
    the availability app is not installed; the major incident still holds the times to record later)."""
    if not apps.is_installed("servicepact.availability"):
        return ""
    # The availability app is optional here: looked up only when it is installed.
    availability = importlib.import_module("servicepact.availability.actions")
    recorder = getattr(availability, "record_outage", None)
    if recorder is None:
        return ""
    references = []
    for service in major.services.all():
        outage = recorder(
            actor=actor,
            contract=major.contract,
            service=service,
            start=major.started_at,
            end=major.resolved_at,
            planned=False,
            reference=major.number,
            description=major.title,
            now=now,
        )
        references.append(str(getattr(outage, "pk", outage)))
    return ",".join(references)[:64]


def write_review(
    major: MajorIncident, *, actor, timeline: str, cause: str, actions: str, at: datetime | None = None
) -> PostIncidentReview:
    """The post-incident review (written again, it is revised; each version stays in the history)."""
    if not can_run_major_incident(actor, major):
        raise PermissionDenied(_("You may not run this major incident."))
    at = _now(at)
    fields = {"timeline": (timeline or "").strip(), "cause": (cause or "").strip(), "actions": (actions or "").strip()}
    errors: dict[str, list[str]] = {}
    if MajorIncident.objects.get(pk=major.pk).status == MajorStatus.ACTIVE:  # as it is now, not the caller's copy
        errors["__all__"] = [_("Resolve the major incident before its review.")]
    for name, message in (
        ("timeline", _("The timeline is required.")),
        ("cause", _("The cause is required.")),
        ("actions", _("Name at least one action.")),
    ):
        if not fields[name]:
            errors[name] = [message]
    _refuse_if(errors)
    with transaction.atomic():
        major = MajorIncident.objects.select_for_update().get(pk=major.pk)
        review, _created = PostIncidentReview.objects.update_or_create(
            major_incident=major, defaults={**fields, "author": actor, "written_at": at}
        )
        major.status = MajorStatus.REVIEWED
        major.save(update_fields=["status"])
        record(major, type=MajorHistory.REVIEWED, actor=actor, at=at, data=fields)
    return review
