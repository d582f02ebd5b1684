"""Checkpoints: the Merkle tree, the signed statement, taking one (on schedule, with a report), the files."""

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from servicepact.desk import actions
from servicepact.desk.models import Ticket, TicketCounter
from servicepact.evidence import hashed_log, merkle, signing
from servicepact.evidence.actions import take_checkpoint
from servicepact.evidence.models import Checkpoint, CheckpointGroup, CheckpointReason, HeadSet
from servicepact.evidence.queries import checkpoint_document, document_bytes
from servicepact.evidence.statement import (
    CheckpointFormatError,
    canonical,
    contract_group,
    group_root,
    read_document,
)
from servicepact.evidence.tasks import take_scheduled_checkpoint
from servicepact.evidence.verification import verify
from servicepact.notify.models import Outbox
from servicepact.runtime.periodic import periodic_jobs
from servicepact.slm.reporting.generation import ReportRequest, generate_report

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def open_ticket(world, title: str = "Posting fails", contract=None, minutes: int = 0):
    contract = contract or world.contract
    requester = world.people["requester" if contract == world.contract else "other-requester"]
    service = contract.services.get(key="sap-erp")
    return actions.create_ticket(
        actor=requester,
        contract=contract,
        service=service,
        title=title,
        impact="low",
        urgency="low",
        at=MONDAY + timedelta(minutes=minutes),
    )


# -- the tree ------------------------------------------------------------------------------------------------


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962's MTH written out as the RFC states it, to check the module against."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + reference_root(leaves[:k]) + reference_root(leaves[k:])).digest()


@pytest.mark.parametrize("size", range(0, 18))
def test_the_root_is_rfc_6962s_and_every_leaf_proves_its_place(size):
    data = [f"leaf {n}".encode() for n in range(size)]
    hashes = [merkle.leaf_hash(item) for item in data]
    root = merkle.root_of(hashes)
    assert root == reference_root(data)
    for index in range(size):
        proof = merkle.inclusion_proof(index, hashes)
        assert merkle.root_from_proof(index, size, hashes[index], proof) == root
        if size > 1:
            assert merkle.root_from_proof((index + 1) % size, size, hashes[index], proof) != root
            assert merkle.root_from_proof(index, size, merkle.leaf_hash(b"other"), proof) != root


def test_a_proof_that_does_not_fit_the_tree_is_none():
    hashes = [merkle.leaf_hash(bytes([n])) for n in range(5)]
    assert merkle.root_from_proof(5, 5, hashes[0], []) is None
    assert merkle.root_from_proof(0, 5, hashes[0], []) is None
    assert merkle.root_from_proof(0, 1, hashes[0], [hashes[1]]) is None


# -- taking one ----------------------------------------------------------------------------------------------


def test_a_checkpoint_signs_every_contracts_heads_and_the_ledger(world):
    first, second = open_ticket(world), open_ticket(world, "Again", minutes=5)
    other = open_ticket(world, "Initech's", contract=world.other_contract)
    actions.reply(first, actor=world.people["agent"], body="Looking", at=MONDAY + timedelta(minutes=10))
    first.refresh_from_db()
    checkpoint = take_checkpoint(reason=CheckpointReason.COMMAND, now=MONDAY + timedelta(hours=1))
    statement = json.loads(checkpoint.statement)
    assert statement == {
        "format": "servicepact-checkpoint/1",
        "sequence": 1,
        "taken_at": "2026-03-02T10:00:00Z",
        "reason": "command",
        "root": checkpoint.root,
        "groups": 3,
        "previous": "",
        "key": signing.raw_public_key().hex(),
    }
    assert canonical(statement).decode() == checkpoint.statement
    signing.public_key().verify(base64.b64decode(checkpoint.signature), checkpoint.statement.encode())
    groups = {group.name: group.heads.leaves() for group in checkpoint.groups.select_related("heads")}
    assert groups == {
        "contract:globex-ito": [
            {"ticket": first.number, "events": first.event_count, "head": first.last_hash},
            {"ticket": second.number, "events": 1, "head": Ticket.objects.get(pk=second.pk).last_hash},
        ],
        "contract:initech-ito": [
            {"ticket": other.number, "events": 1, "head": Ticket.objects.get(pk=other.pk).last_hash}
        ],
        "ledger": [
            {"ledger": "incident", "issued": 3, "head": TicketCounter.objects.get(kind="incident").last_hash},
            {"ledger": "request", "issued": 0, "head": ""},
        ],
    }


def test_unchanged_heads_give_the_same_checkpoint_and_a_new_event_the_next(world):
    ticket = open_ticket(world)
    open_ticket(world, "Initech's", contract=world.other_contract)
    first = take_checkpoint(reason=CheckpointReason.SCHEDULE)
    assert take_checkpoint(reason=CheckpointReason.SCHEDULE) == first
    actions.reply(ticket, actor=world.people["agent"], body="Looking", at=MONDAY + timedelta(minutes=10))
    second = take_checkpoint(reason=CheckpointReason.SCHEDULE)
    assert second.sequence == 2
    assert json.loads(second.statement)["previous"] == hashlib.sha256(first.statement.encode()).hexdigest()
    changed = dict(second.groups.values_list("name", "changed"))
    assert changed == {"contract:globex-ito": True, "contract:initech-ito": False, "ledger": False}
    assert HeadSet.objects.count() == 4, "an unchanged group's leaves are kept once"


def test_the_scheduled_checkpoint_is_mailed_to_the_customers_managers_once_per_state(world):
    ticket = open_ticket(world)
    open_ticket(world, "Initech's", contract=world.other_contract)
    assert take_scheduled_checkpoint.call() == {"sequence": 1, "offered": 2}
    checkpoint = Checkpoint.objects.get()
    globex = checkpoint.groups.get(name="contract:globex-ito").heads.root
    message = Outbox.objects.get(key__startswith=f"checkpoint:globex-ito:{globex}:")
    assert message.recipients == ["customer-manager@example.test"]
    assert message.subject == "Checkpoint 1 of globex-ito: keep it"
    assert "/checkpoints/1/globex-ito.json" in message.body and checkpoint.signature in message.body
    assert checkpoint.statement in message.body and f"Root of contract globex-ito: {globex}" in message.body
    assert take_scheduled_checkpoint.call() == {"sequence": 1, "offered": 0}, "the same state is mailed once"
    actions.reply(ticket, actor=world.people["agent"], body="Looking", at=MONDAY + timedelta(minutes=10))
    take_checkpoint(reason=CheckpointReason.COMMAND)
    assert Outbox.objects.filter(key__startswith="checkpoint:").count() == 2, (
        "a checkpoint taken on demand (or with a report) is not mailed"
    )
    assert take_scheduled_checkpoint.call() == {"sequence": 2, "offered": 1}, "Initech's group did not change"
    assert Outbox.objects.filter(subject="Checkpoint 2 of globex-ito: keep it").exists()


def test_a_contract_without_tickets_is_not_mailed(world):
    open_ticket(world)
    assert take_scheduled_checkpoint.call() == {"sequence": 1, "offered": 1}
    mailed = Outbox.objects.filter(key__startswith="checkpoint:").values_list("recipients", flat=True)
    assert list(mailed) == [["customer-manager@example.test"]]


def test_storing_a_report_takes_a_checkpoint(world):
    open_ticket(world)
    report = generate_report(ReportRequest(world.contract, "weekly", "2026-W10"))
    checkpoint = Checkpoint.objects.get()
    assert (checkpoint.reason, checkpoint.report_id) == (CheckpointReason.REPORT, report.pk)
    generate_report(ReportRequest(world.contract, "weekly", "2026-W11"))
    assert Checkpoint.objects.count() == 1, "nothing moved: no new checkpoint"


@pytest.mark.django_db(transaction=True)
def test_the_heads_are_read_before_the_write_transaction(world, monkeypatch):
    """On SQLite a write transaction holds the single writer lock: reading every chain inside it kept the
    web's writes waiting for over a minute at a million tickets."""
    from django.db import connection

    from servicepact.evidence import actions as evidence_actions

    open_ticket(world)
    read = evidence_actions.current_heads
    inside = []

    def watched():
        inside.append(connection.in_atomic_block)
        return read()

    monkeypatch.setattr(evidence_actions, "current_heads", watched)
    report = generate_report(ReportRequest(world.contract, "weekly", "2026-W10"))
    assert inside == [False]
    assert Checkpoint.objects.get().report_id == report.pk


def test_a_checkpoint_stored_meanwhile_makes_it_read_the_heads_again(world, monkeypatch):
    from servicepact.evidence import actions as evidence_actions

    ticket = open_ticket(world)
    first = take_checkpoint(reason=CheckpointReason.SCHEDULE)
    actions.reply(ticket, actor=world.people["agent"], body="Looking", at=MONDAY + timedelta(minutes=10))
    prepare = evidence_actions._prepare
    calls = []

    def overtaken(previous, **kwargs):
        prepared = prepare(previous, **kwargs)
        calls.append(previous.sequence)
        if len(calls) == 1:  # another worker signs the same heads after this one read them
            monkeypatch.setattr(evidence_actions, "_prepare", prepare)
            take_checkpoint(reason=CheckpointReason.COMMAND)
        return prepared

    monkeypatch.setattr(evidence_actions, "_prepare", overtaken)
    taken = take_checkpoint(reason=CheckpointReason.SCHEDULE)
    assert calls == [first.sequence]
    assert taken.sequence == 2 and taken.reason == CheckpointReason.COMMAND, "the heads read again had not moved"
    assert Checkpoint.objects.count() == 2


def test_the_scheduler_takes_one_on_its_interval(world, settings):
    settings.SERVICEPACT_CHECKPOINT_HOURS = 6
    job = {job.name: job for job in periodic_jobs()}["checkpoint"]
    assert (job.task_path, job.interval_s) == ("servicepact.evidence.tasks.take_scheduled_checkpoint", 6 * 3600)
    open_ticket(world)
    assert take_scheduled_checkpoint.call() == {"sequence": 1, "offered": 1}
    assert Checkpoint.objects.get().reason == CheckpointReason.SCHEDULE


# -- the files -----------------------------------------------------------------------------------------------


@pytest.fixture
def checkpointed(world):
    tickets = [open_ticket(world, f"Ticket {n}", minutes=n) for n in range(3)]
    actions.add_note(tickets[0], actor=world.people["agent"], body="internal", at=MONDAY + timedelta(minutes=20))
    open_ticket(world, "Initech's", contract=world.other_contract)
    return take_checkpoint(reason=CheckpointReason.COMMAND)


def test_the_whole_file_verifies_against_the_log(checkpointed):
    document = read_document(document_bytes(checkpoint_document(checkpointed)))
    outcome = verify(document, hashed_log.all_lines(), signing.raw_public_key())
    assert outcome.problems == []
    assert (outcome.tickets, outcome.numbers) == (4, 4)


def test_a_contracts_copy_carries_only_its_group_and_proves_it(checkpointed):
    group = CheckpointGroup.objects.get(checkpoint=checkpointed, name=contract_group("globex-ito"))
    content = checkpoint_document(checkpointed, [group])
    assert [copy["name"] for copy in content["groups"]] == ["contract:globex-ito"]
    assert content["groups"][0]["root"] == group_root(content["groups"][0]["leaves"]).hex()
    document = read_document(document_bytes(content))
    lines = hashed_log.event_lines(Ticket.objects.filter(contract__slug="globex-ito"))
    assert verify(document, lines, signing.raw_public_key()).problems == []


def test_a_file_edited_after_signing_fails(checkpointed):
    content = checkpoint_document(checkpointed)
    statement = json.loads(content["statement"])
    statement["sequence"] = 7
    edited = dict(content, statement=canonical(statement).decode())
    problems = verify(read_document(json.dumps(edited)), hashed_log.all_lines(), signing.raw_public_key()).problems
    assert problems == ["signature: does not verify: the statement is not the one the provider signed"]
    content["groups"][0]["leaves"][0]["events"] += 1
    problems = verify(read_document(json.dumps(content)), hashed_log.all_lines(), signing.raw_public_key()).problems
    assert any("its leaves give root" in problem for problem in problems)


def test_a_file_signed_by_another_key_is_not_trusted(checkpointed):
    content = checkpoint_document(checkpointed)
    forger = Ed25519PrivateKey.generate()
    statement = json.loads(content["statement"])
    statement["key"] = signing.raw_public_key(forger.public_key()).hex()
    text = canonical(statement).decode()
    forged = dict(content, statement=text, signature=base64.b64encode(forger.sign(text.encode())).decode())
    problems = verify(read_document(json.dumps(forged)), hashed_log.all_lines(), signing.raw_public_key()).problems
    assert problems == [
        f"signature: the statement names key {statement['key']}, not the trusted key {signing.raw_public_key().hex()}"
    ]


@pytest.mark.parametrize(
    "broken, message",
    [
        ("[]", "checkpoint: not a JSON object"),
        ('{"format": "other"}', "format: expected 'servicepact-checkpoint/1', found 'other'"),
        (
            '{"format": "servicepact-checkpoint/1", "statement": "{\\"b\\": 1, \\"a\\": 2}"}',
            "statement: not in canonical form",
        ),
        ("[" * 5000, "not JSON"),
    ],
)
def test_a_file_that_is_not_a_checkpoint_is_named(broken, message):
    with pytest.raises(
        CheckpointFormatError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
    ):
        read_document(broken)


def test_the_key_file_is_made_once_and_kept_private():
    path = settings.SERVICEPACT_CHECKPOINT_KEY_FILE
    assert path.exists() and path.stat().st_mode & 0o077 == 0
    assert signing.read_public_key(signing.public_key_pem()) == signing.raw_public_key()
    assert signing.read_public_key(signing.raw_public_key().hex().encode()) == signing.raw_public_key()


def verify_command(*args) -> CommandError:
    with pytest.raises(CommandError) as failed:
        call_command("events", "verify", *args, stdout=StringIO(), stderr=StringIO())
    return failed.value


def test_bad_files_are_named_with_exit_status_2(checkpointed, tmp_path):
    missing = verify_command("--checkpoint", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "--checkpoint: cannot read" in str(missing)
    (tmp_path / "deep.json").write_text("[" * 100000)
    deep = verify_command("--checkpoint", str(tmp_path / "deep.json"))
    assert deep.returncode == 2 and "not JSON" in str(deep)
    good = tmp_path / "good.json"
    good.write_bytes(document_bytes(checkpoint_document(checkpointed)))
    (tmp_path / "log.jsonl").write_text('{"ticket": "INC0000001", "seq": 1}\nnot json\n')
    bad_line = verify_command("--checkpoint", str(good), "--events", str(tmp_path / "log.jsonl"))
    assert bad_line.returncode == 2 and "log.jsonl:2: not JSON" in str(bad_line)
    (tmp_path / "key.pem").write_text("no key")
    bad_key = verify_command("--checkpoint", str(good), "--public-key", str(tmp_path / "key.pem"))
    assert bad_key.returncode == 2 and "holds no Ed25519 public key" in str(bad_key)
    assert verify_command("--events", str(good)).returncode == 2, "--events only with --checkpoint"
