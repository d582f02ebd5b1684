"""Writes of service level management: restating a ticket's clocks under another contract version.

A changed calendar or target never rewrites history: the ticket stays pinned to its version and its
stored clocks stay as they are. A restatement computes the clocks under the other version, and under the
pinned one at the same instant for comparison, and records both with who asked and why.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.contracts.models import ContractVersion
from servicepact.desk.eventlog import kernel_events
from servicepact.desk.models import Ticket
from servicepact.permissions import can_restate
from servicepact.refusals import ActionRefused
from servicepact.sla.contract import ContractError
from servicepact.slm.evaluation import evaluate, pinned_contract, version_contract
from servicepact.slm.models import Restatement

REASON_MAX = 2000


def restate(
    ticket: Ticket,
    *,
    actor: User,
    version: ContractVersion,
    reason: str,
    at: datetime | None = None,
) -> Restatement:
    """The ticket's clocks at ``at`` (default now, never before its last event) under ``version``, stored."""
    if not can_restate(actor, ticket):
        raise PermissionDenied(_("You may not restate the clocks of this ticket."))
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Say why the clocks are restated."), "reason")
    if len(reason) > REASON_MAX:
        _refuse(_("The reason is longer than %(limit)d characters.") % {"limit": REASON_MAX}, "reason")
    if version.contract_id != ticket.contract_id:
        _refuse(
            _("Version %(version)s belongs to another contract than ticket %(number)s's.")
            % {"version": str(version), "number": ticket.number},
            "version",
        )
    if version.pk == ticket.contract_version_id:
        _refuse(
            _("Ticket %(ticket)s is pinned to version %(number)s already; name another version.")
            % {"ticket": ticket.number, "number": version.number},
            "version",
        )
    computed_at = timezone.now()
    at = max(at or computed_at, ticket.updated_at)
    try:
        contract = version_contract(version)
    except ContractError as problem:
        _refuse(
            _("Version %(version)s does not load: %(problem)s") % {"version": str(version), "problem": str(problem)},
            "version",
        )
    events = kernel_events(ticket)
    try:
        clocks = evaluate(contract, events, at)
    except KeyError as problem:  # a priority or service of the ticket that the version does not know
        _refuse(
            _("Version %(version)s cannot time ticket %(number)s: %(problem)s")
            % {"version": str(version), "number": ticket.number, "problem": problem.args[0]},
            "version",
        )
    original = evaluate(pinned_contract(ticket), events, at)
    with transaction.atomic():
        return Restatement.objects.create(
            ticket=ticket,
            contract_version=version,
            original_version_id=ticket.contract_version_id,
            at=at,
            clocks=[clock.spec_dict() for clock in clocks],
            original_clocks=[clock.spec_dict() for clock in original],
            reason=reason,
            actor=actor,
            computed_at=computed_at,
        )


def _refuse(message: str, field: str) -> None:
    raise ActionRefused(message, errors={field: [message]})
