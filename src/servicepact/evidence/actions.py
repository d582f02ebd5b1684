"""Taking a checkpoint: the heads of every chain, checked, folded into one Merkle root, signed, kept, offered.

``take_checkpoint`` reads each ticket's chain head (number, event count, hash of the last event) from the
events themselves, grouped by contract, and the ledger's head per kind; it signs only chains that extend
the previous checkpoint's (every event it signed still there, unchanged, and every event since hashing
onto it), so a history rewritten in the database is refused, never signed over. Unchanged heads give the
previous checkpoint back instead of a new one. Every checkpoint's copies are on the checkpoints page; the
scheduled one is also offered by mail (``offer``) to the customer's managers of each contract whose group
they have not been mailed yet.

Safe to run twice or in two workers at once: the sequence is unique, and the loser of a race takes the
winner's checkpoint (or the next turn).
"""

import base64
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Role, User
from servicepact.contracts.models import Contract
from servicepact.desk.hashchain import verify_events
from servicepact.desk.models import IssuedNumber, Ticket, TicketCounter, TicketEvent
from servicepact.evidence import signing
from servicepact.evidence.models import Checkpoint, CheckpointGroup, CheckpointReason, HeadSet
from servicepact.evidence.statement import (
    LEDGER_GROUP,
    GroupHead,
    checkpoint_root,
    contract_group,
    group_root,
    ledger_leaf,
    statement_text,
    ticket_leaf,
)
from servicepact.notify.actions import enqueue_notification
from servicepact.notify.recipients import absolute_url, recipients_of
from servicepact.permissions import COUNTED_MEMBERSHIP_OF_USER

logger = logging.getLogger(__name__)
CHUNK = 500
ATTEMPTS = 3


class CheckpointRefused(Exception):
    """The chains do not extend the previous checkpoint's: nothing is signed. ``problems`` names each break."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s), the first: {problems[0]}")


@dataclass(frozen=True)
class Heads:
    """The heads as they stand: per group name, its leaves; each group's contract (None: the ledger); and
    where a ticket's tail disagrees with its events."""

    leaves: dict[str, list[dict]]
    contracts: dict[str, Contract | None]
    problems: list[str]


def take_checkpoint(*, reason: str, now: datetime | None = None, report=None) -> Checkpoint:
    """Sign the current heads, or give back the latest checkpoint if they have not moved since.

    The heads are read (one statement, so one snapshot of the log), checked against the latest checkpoint
    and hashed before the write transaction, which only stores the result: on SQLite a write transaction
    holds the database's single writer lock, and reading a million tickets' heads inside it made every
    other write wait for over a minute (the web's sign-ins failed). When another checkpoint is stored
    in between, the heads are read again."""
    for attempt in range(ATTEMPTS):
        previous = Checkpoint.objects.order_by("-sequence").first()
        prepared = _prepare(previous, reason=reason, now=now or timezone.now())
        if isinstance(prepared, Checkpoint):
            return prepared  # the heads have not moved
        try:
            with transaction.atomic():
                return _store(prepared, previous, report=report)
        except (IntegrityError, _Overtaken):
            if attempt == ATTEMPTS - 1:
                raise
            logger.info("checkpoint: another worker took one meanwhile; reading the heads again")
    raise AssertionError("unreachable")


class _Overtaken(Exception):
    """Another checkpoint was stored after the heads were read."""


@dataclass(frozen=True)
class _Prepared:
    heads: Heads
    names: list[str]
    roots: dict[str, str]
    earlier: dict[str, str]
    root: str
    statement: str
    signature: str
    key: str
    reason: str
    taken_at: datetime


def _prepare(previous: Checkpoint | None, *, reason: str, now: datetime) -> "_Prepared | Checkpoint":
    heads = current_heads()
    previous_leaves = _leaves_of(previous)
    problems = heads.problems + extension_problems(previous_leaves, heads.leaves)
    if problems:
        raise CheckpointRefused(problems)
    names = sorted(heads.leaves)
    roots = {name: group_root(heads.leaves[name]).hex() for name in names}
    root = checkpoint_root([GroupHead(name, len(heads.leaves[name]), roots[name]) for name in names])
    if previous is not None and previous.root == root:
        return previous
    raw_key = signing.raw_public_key()
    text = statement_text(
        sequence=(previous.sequence + 1) if previous else 1,
        taken_at=now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        reason=reason,
        root=root,
        groups=len(names),
        previous=_sha256_hex(previous.statement) if previous else "",
        key=raw_key.hex(),
    )
    earlier = {name: group_root(leaves).hex() for name, leaves in previous_leaves.items()}
    return _Prepared(
        heads, names, roots, earlier, root, text, _b64(signing.sign(text.encode())), raw_key.hex(), reason, now
    )


def _store(prepared: _Prepared, previous: Checkpoint | None, *, report) -> Checkpoint:
    latest = Checkpoint.objects.select_for_update().order_by("-sequence").first()
    if (latest and latest.pk) != (previous and previous.pk):
        raise _Overtaken()
    checkpoint = Checkpoint.objects.create(
        sequence=(previous.sequence + 1) if previous else 1,
        taken_at=prepared.taken_at,
        reason=prepared.reason,
        report=report,
        root=prepared.root,
        statement=prepared.statement,
        signature=prepared.signature,
        key=prepared.key,
    )
    for position, name in enumerate(prepared.names):
        kept = HeadSet.objects.keep(prepared.heads.leaves[name], root=prepared.roots[name])
        CheckpointGroup.objects.create(
            checkpoint=checkpoint,
            position=position,
            name=name,
            contract=prepared.heads.contracts[name],
            heads=kept,
            changed=prepared.earlier.get(name) != kept.root,
        )
    return checkpoint


def take_checkpoint_with_report(report) -> Checkpoint | None:
    """A checkpoint with a stored report, in its transaction; a refused one is logged, the report kept."""
    try:
        return take_checkpoint(reason=CheckpointReason.REPORT, report=report)
    except CheckpointRefused as refused:
        logger.error("no checkpoint with report %s: %s", report.pk, "; ".join(refused.problems[:20]))
        return None


# -- the heads, and whether they extend the previous checkpoint's ------------------------------------------


def current_heads() -> Heads:
    """Every contract's tickets' heads, read from the events (the ticket row's tail must agree), and the
    ledger's per kind (checked against the ledger by ``extension_problems``)."""
    leaves: dict[str, list[dict]] = {}
    contracts: dict[str, Contract | None] = {}
    problems: list[str] = []
    for contract in Contract.objects.order_by("slug"):
        leaves[contract_group(contract.slug)] = []
        contracts[contract_group(contract.slug)] = contract
    # The hash of the event at the ticket's count, found by the (ticket, seq) unique index.
    tail = TicketEvent.objects.filter(ticket=OuterRef("pk"), seq=OuterRef("event_count")).values("hash")[:1]
    rows = (
        Ticket.objects.annotate(tail=Subquery(tail))
        .order_by("contract__slug", "number")
        .values_list("contract__slug", "number", "event_count", "last_hash", "tail")
    )
    for slug, number, count, last_hash, head in rows.iterator(chunk_size=5000):
        head = head or ""
        if head != last_hash:
            problems.append(
                f"{number}: the ticket's tail says event #{count} hashes to {last_hash or '(none)'}, "
                f"the event log says {head or '(no such event)'}"
            )
        leaves[contract_group(slug)].append(ticket_leaf(number, count, head))
    leaves[LEDGER_GROUP] = [
        ledger_leaf(counter.kind, counter.last, counter.last_hash) for counter in TicketCounter.objects.order_by("kind")
    ]
    contracts[LEDGER_GROUP] = None
    return Heads(leaves, contracts, problems)


def extension_problems(previous: dict[str, list[dict]], current: dict[str, list[dict]]) -> list[str]:
    """What keeps ``current`` from extending ``previous``: a ticket gone or shortened, an event it signed
    changed, a new event that does not hash onto it; the same for the ledger. Only what changed since is
    read back from the database (all of it for the first checkpoint)."""
    problems = []
    before = {leaf["ticket"]: leaf for leaves in _ticket_groups(previous) for leaf in leaves}
    now = {leaf["ticket"]: leaf for leaves in _ticket_groups(current) for leaf in leaves}
    problems += [
        f"{number}: signed by the previous checkpoint, no longer in the database (deleted)"
        for number in sorted(set(before) - set(now))
    ]
    to_read: dict[str, int] = {}
    for number, leaf in now.items():
        signed = before.get(number)
        if signed is None:
            to_read[number] = 0
        elif leaf["events"] < signed["events"]:
            problems.append(f"{number}: {leaf['events']} event(s), the previous checkpoint signed {signed['events']}")
        elif leaf["events"] == signed["events"]:
            if leaf["head"] != signed["head"]:
                problems.append(
                    f"{number} #{leaf['events']}: hash {leaf['head']} is not the head the previous "
                    f"checkpoint signed, {signed['head']}"
                )
        else:
            to_read[number] = signed["events"]
    problems += _chain_problems(to_read, {number: before[number]["head"] for number in to_read if number in before})
    problems += _ledger_problems(previous.get(LEDGER_GROUP, []), current.get(LEDGER_GROUP, []))
    return problems


def _ticket_groups(leaves: dict[str, list[dict]]) -> list[list[dict]]:
    return [group for name, group in leaves.items() if name != LEDGER_GROUP]


def _chain_problems(to_read: dict[str, int], signed_heads: dict[str, str]) -> list[str]:
    """Whole chains of the tickets in ``to_read``, each also through its previously signed head."""
    problems = []
    numbers = sorted(to_read)
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        tickets = {ticket.pk: ticket for ticket in Ticket.objects.filter(number__in=chunk)}
        events = defaultdict(list)
        for event in TicketEvent.objects.filter(ticket_id__in=tickets).order_by("ticket_id", "seq"):
            events[event.ticket_id].append(event)
        for pk, ticket in tickets.items():
            own = events[pk]
            problems += [
                str(found)
                for found in verify_events(
                    ticket.number, own, event_count=ticket.event_count, last_hash=ticket.last_hash
                )
            ]
            signed_at = to_read[ticket.number]
            if signed_at:
                at = next((event for event in own if event.seq == signed_at), None)
                if at is None or at.hash != signed_heads[ticket.number]:
                    problems.append(
                        f"{ticket.number} #{signed_at}: hash {at.hash if at else '(none)'} is not the "
                        f"head the previous checkpoint signed, {signed_heads[ticket.number]}"
                    )
    return problems


def _ledger_problems(previous: list[dict], current: list[dict]) -> list[str]:
    problems = []
    before = {leaf["ledger"]: leaf for leaf in previous}
    for leaf in current:
        kind, issued = leaf["ledger"], leaf["issued"]
        signed = before.get(kind, {"issued": 0, "head": ""})
        if issued < signed["issued"]:
            problems.append(f"ledger of {kind}: {issued} number(s), the previous checkpoint signed {signed['issued']}")
            continue
        entries = list(IssuedNumber.objects.filter(kind=kind, value__gte=max(signed["issued"], 1)).order_by("value"))
        expected_hash = signed["head"]
        expected_value = signed["issued"]
        for entry in entries:
            if entry.value == signed["issued"]:
                if entry.hash != signed["head"]:
                    problems.append(
                        f"{entry.number}: ledger hash {entry.hash} is not the head the previous "
                        f"checkpoint signed, {signed['head']}"
                    )
                continue
            expected_value += 1
            if entry.value != expected_value or entry.prev_hash != expected_hash or entry.hash != entry.compute_hash():
                problems.append(f"{entry.number}: the ledger of {kind} breaks at value {entry.value}")
            expected_hash = entry.hash
        if signed["issued"] and not any(entry.value == signed["issued"] for entry in entries):
            problems.append(f"ledger of {kind}: number {signed['issued']}, signed by the previous checkpoint, is gone")
        if (expected_value, expected_hash) != (issued, leaf["head"]):
            problems.append(
                f"ledger of {kind}: the counter says {issued} ({leaf['head'] or 'none'}), the ledger ends "
                f"at {expected_value} ({expected_hash or 'none'})"
            )
    for kind in sorted(set(before) - {leaf["ledger"] for leaf in current}):
        problems.append(f"ledger of {kind}: signed by the previous checkpoint, gone")
    return problems


def _leaves_of(checkpoint: Checkpoint | None) -> dict[str, list[dict]]:
    if checkpoint is None:
        return {}
    return {group.name: group.heads.leaves() for group in checkpoint.groups.select_related("heads")}


# -- offering it ---------------------------------------------------------------------------------------------


def offer(checkpoint: Checkpoint) -> int:
    """Mail each contract's copy details to the contract customer's managers, unless the same group (the
    same root) was mailed to them before; a contract without a ticket yet has nothing to keep. Returns
    how many messages were queued.

    Only the scheduled checkpoint is offered this way (once a day by default), not every checkpoint a
    stored report takes: the latest signed state is what is worth keeping, and a mail per report would
    bury it."""
    queued = 0
    groups = checkpoint.groups.filter(contract__isnull=False, heads__count__gt=0).select_related("contract", "heads")
    for group in groups:
        contract = group.contract
        managers = (
            User.objects.filter(
                COUNTED_MEMBERSHIP_OF_USER,
                organization_id=contract.customer_id,
                memberships__role=Role.CUSTOMER_MANAGER,
                is_active=True,
            )
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        link = absolute_url(reverse("evidence:copy", kwargs={"sequence": checkpoint.sequence, "slug": contract.slug}))
        for recipient in recipients_of(managers):
            with recipient.speaking():
                subject = _("Checkpoint %(sequence)s of %(contract)s: keep it") % {
                    "sequence": checkpoint.sequence,
                    "contract": contract.slug,
                }
                body = _(
                    "Checkpoint %(sequence)s of the event logs was signed by the provider at %(at)s.\n\n"
                    "It covers the %(count)s ticket(s) of contract %(contract)s. Keep this message, or download the "
                    "copy of the checkpoint at %(path)s and keep the file: with it you can prove later, without "
                    "servicepact, that no event up to this checkpoint was changed or removed (docs/checkpoints.md).\n\n"
                    "Signed root: %(root)s\nRoot of contract %(contract)s: %(group_root)s\n"
                    "Provider key fingerprint (SHA-256): %(fingerprint)s\n\nStatement:\n%(statement)s\n"
                    "Signature: %(signature)s\n"
                ) % {
                    "sequence": checkpoint.sequence,
                    "at": recipient.moment(checkpoint.taken_at),
                    "count": group.heads.count,
                    "contract": contract.slug,
                    "path": link,
                    "root": checkpoint.root,
                    "group_root": group.heads.root,
                    "fingerprint": signing.fingerprint(bytes.fromhex(checkpoint.key)),
                    "statement": checkpoint.statement,
                    "signature": checkpoint.signature,
                }
            # Per reader: a manager who joins later is offered the same state; nobody gets it twice.
            message = enqueue_notification(
                recipients=[recipient.address],
                subject=subject,
                body=body,
                key=recipient.key(f"checkpoint:{contract.slug}:{group.heads.root}"),
            )
            queued += message is not None
    return queued


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
