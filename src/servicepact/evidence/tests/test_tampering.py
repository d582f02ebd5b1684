"""Tampering as someone with the database would, and how each attempt is caught.

Plain edits and deletions are refused by the database itself (triggers). Whoever goes past the triggers
(dropping them, or the maintenance path as here) can rewrite a ticket's history consistently (rehashing
every later event and the ticket's tail), truncate a chain and fix its tail, delete a ticket, even its
ledger entry: the chains verify again, but a checkpoint kept from before does not, whether checked from
the database, from an export, by the customer from their copy, or by the standalone script of the docs.
"""

import base64
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from servicepact.desk import actions
from servicepact.desk.models import IssuedNumber, Ticket, TicketCounter, TicketEvent
from servicepact.evidence import guard, signing
from servicepact.evidence.actions import CheckpointRefused, take_checkpoint
from servicepact.evidence.models import CheckpointGroup, CheckpointReason
from servicepact.evidence.queries import checkpoint_document, document_bytes
from servicepact.evidence.statement import GroupHead, canonical, checkpoint_root, group_root
from servicepact.slm.tests.prepared import prepared_content

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DOCS = Path(__file__).resolve().parents[4] / "docs"


@pytest.fixture
def kept(world, tmp_path):
    """Three tickets of Globex's with replies and an internal note, and the checkpoint everyone kept."""
    agent = world.people["agent"]
    tickets = []
    for n in range(3):
        ticket = actions.create_ticket(
            actor=world.people["requester"],
            contract=world.contract,
            service=world.services["sap-erp"],
            title=f"Ticket {n}",
            impact="low",
            urgency="low",
            at=MONDAY + timedelta(minutes=n),
        )
        actions.reply(ticket, actor=agent, body="Looking", at=MONDAY + timedelta(minutes=10 + n))
        actions.add_note(ticket, actor=agent, body="Posting period locked", at=MONDAY + timedelta(minutes=20 + n))
        actions.reply(ticket, actor=agent, body="Fixed", at=MONDAY + timedelta(minutes=30 + n))
        ticket.refresh_from_db()
        tickets.append(ticket)
    checkpoint = take_checkpoint(reason=CheckpointReason.SCHEDULE)
    whole = tmp_path / "checkpoint.json"
    whole.write_bytes(document_bytes(checkpoint_document(checkpoint)))
    group = CheckpointGroup.objects.get(checkpoint=checkpoint, contract=world.contract)
    copy = tmp_path / "globex-copy.json"
    copy.write_bytes(document_bytes(checkpoint_document(checkpoint, [group])))
    key = tmp_path / "key.pem"
    key.write_bytes(signing.public_key_pem())
    return tickets, whole, copy, key


# -- the attacks, as someone past the triggers would do them ---------------------------------------------------


def past_the_triggers(statement: str, params: list) -> None:
    with guard.maintenance("test: an attacker with the database"), connection.cursor() as cursor:
        cursor.execute(statement, params)


def rewrite_consistently(ticket: Ticket, seq: int, data: dict) -> None:
    """Change one event, then rehash it, every later event and the ticket's tail: the chain is whole again."""
    events = list(TicketEvent.objects.filter(ticket=ticket).order_by("seq"))
    previous = events[seq - 2].hash if seq > 1 else ""
    with guard.maintenance("test: a consistent rewrite"), connection.cursor() as cursor:
        for event in events[seq - 1 :]:
            if event.seq == seq:
                event.data = data
            event.prev_hash = previous
            event.hash = event.compute_hash(ticket.number)
            cursor.execute(
                "UPDATE desk_ticketevent SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [json.dumps(event.data), event.prev_hash, event.hash, event.pk],
            )
            previous = event.hash
    Ticket.objects.filter(pk=ticket.pk).update(last_hash=previous)


def truncate_with_fixed_tail(ticket: Ticket, keep: int) -> None:
    kept_hash = TicketEvent.objects.get(ticket=ticket, seq=keep).hash
    past_the_triggers("DELETE FROM desk_ticketevent WHERE ticket_id = %s AND seq > %s", [ticket.pk, keep])
    Ticket.objects.filter(pk=ticket.pk).update(event_count=keep, last_hash=kept_hash)


def delete_ticket(ticket: Ticket, *, with_ledger_entry: bool = False) -> None:
    with guard.maintenance("test: a ticket deleted"), connection.cursor() as cursor:
        for table in (
            "desk_ticketevent",
            "desk_ticketteam",
            "slm_clockstate",
            "notify_outbox",
            "notify_notice",
            "surveys_ticketsurvey",
            "desk_attachment",
            "desk_ticket_watchers",
        ):
            cursor.execute(f"DELETE FROM {table} WHERE ticket_id = %s", [ticket.pk])
        cursor.execute("DELETE FROM desk_ticket WHERE id = %s", [ticket.pk])
        if with_ledger_entry:
            # The last number issued: its entry goes, and the counter is wound back onto the one before.
            issued = IssuedNumber.objects.get(number=ticket.number)
            cursor.execute("DELETE FROM desk_issuednumber WHERE id = %s", [issued.pk])
            cursor.execute(
                "UPDATE desk_ticketcounter SET last = %s, last_hash = %s WHERE kind = %s",
                [issued.value - 1, issued.prev_hash, issued.kind],
            )


# -- how it is caught ----------------------------------------------------------------------------------------


def events(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("events", *args, stdout=out, stderr=err)
    except CommandError as failed:
        return failed.returncode, out.getvalue(), err.getvalue() + str(failed)
    return 0, out.getvalue(), err.getvalue()


def exported(tmp_path: Path) -> Path:
    target = tmp_path / "events-chain.jsonl"
    assert events("export", "--chain", "--output", str(target))[0] == 0
    return target


def customer_files(world, tmp_path: Path, sequence: int = 1) -> tuple[Path, Path, Path]:
    """What Globex's manager downloads from the checkpoints page: the copy, the events, the key."""
    client = Client()
    client.force_login(world.people["customer-manager"])
    files = []
    for name, url in (
        ("copy.json", f"/checkpoints/{sequence}/globex-ito.json"),
        ("events.jsonl", "/checkpoints/events/globex-ito.jsonl"),
        ("key.pem", "/checkpoints/key.pem"),
    ):
        if name == "events.jsonl":  # written by the worker
            content = prepared_content(client, url)
        else:
            response = client.get(url)
            assert response.status_code == 200, url
            content = b"".join(response.streaming_content) if response.streaming else response.content
        (tmp_path / f"customer-{name}").write_bytes(content)
        files.append(tmp_path / f"customer-{name}")
    return files[0], files[1], files[2]


def standalone(checkpoint: Path, log: Path, key: Path) -> tuple[int, str]:
    """The docs' verifier, which imports nothing of servicepact."""
    done = subprocess.run(
        [sys.executable, str(DOCS / "verify_checkpoint.py"), str(checkpoint), str(log), str(key)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def test_untouched_history_holds_every_way(world, kept, tmp_path):
    tickets, whole, copy, key = kept
    code, out, _ = events("verify")
    assert code == 0 and "every issued number is held by its ticket" in out
    code, out, err = events("verify", "--checkpoint", str(whole))
    assert code == 0, err
    assert "3 ticket(s), 3 issued number(s)" in out
    log = exported(tmp_path)
    assert events("verify", "--checkpoint", str(whole), "--events", str(log), "--public-key", str(key))[0] == 0
    customer_copy, customer_log, customer_key = customer_files(world, tmp_path)
    code, out, err = events(
        "verify", "--checkpoint", str(customer_copy), "--events", str(customer_log), "--public-key", str(customer_key)
    )
    assert code == 0, err
    assert "3 event(s) redacted" in out, "the internal notes: their hashes chain, their text is not the customer's"
    assert standalone(whole, log, key) == (0, "checkpoint 1 holds\n")
    assert standalone(customer_copy, customer_log, customer_key)[0] == 0


@pytest.mark.parametrize(
    "statement",
    [
        'UPDATE desk_ticketevent SET data = \'{"body": "Never said"}\' WHERE seq = 2',
        "DELETE FROM desk_ticketevent WHERE seq = 4",
        "DELETE FROM desk_issuednumber WHERE value = 3",
        "UPDATE evidence_headset SET count = 0",
        "DELETE FROM evidence_checkpoint",
    ],
)
def test_plain_edits_and_deletions_are_refused_by_the_database(kept, statement):
    with pytest.raises(IntegrityError, match="written once"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert events("verify")[0] == 0


def test_a_consistent_rewrite_passes_the_chains_but_not_the_checkpoint(world, kept, tmp_path):
    tickets, whole, copy, key = kept
    victim = tickets[1]
    rewrite_consistently(victim, 2, {"body": "We never promised a fix", "from_customer": False})
    assert events("verify")[0] == 0, "every chain is whole again: the chains alone cannot tell"
    code, _, err = events("verify", "--checkpoint", str(whole))
    assert code == 1
    assert f"{victim.number} #4: hash" in err and "the history up to the checkpoint was rewritten" in err
    log = exported(tmp_path)
    assert events("verify", "--checkpoint", str(whole), "--events", str(log), "--public-key", str(key))[0] == 1
    customer_copy, customer_log, customer_key = customer_files(world, tmp_path)
    code, _, err = events(
        "verify", "--checkpoint", str(customer_copy), "--events", str(customer_log), "--public-key", str(customer_key)
    )
    assert code == 1 and victim.number in err
    code, out = standalone(customer_copy, customer_log, customer_key)
    assert code == 1 and f"{victim.number}: the log does not reach the checkpoint's head at #4" in out
    with pytest.raises(CheckpointRefused) as refused:
        take_checkpoint(reason=CheckpointReason.SCHEDULE)
    assert any(victim.number in problem for problem in refused.value.problems), "never signed over"


def test_rewriting_an_internal_note_the_customer_cannot_read_is_still_caught_by_the_customer(world, kept, tmp_path):
    tickets, *_ = kept
    rewrite_consistently(tickets[0], 3, {"body": "Nothing was locked"})
    customer_copy, customer_log, customer_key = customer_files(world, tmp_path)
    code, _, err = events(
        "verify", "--checkpoint", str(customer_copy), "--events", str(customer_log), "--public-key", str(customer_key)
    )
    assert code == 1 and f"{tickets[0].number} #4" in err


def test_a_truncation_with_a_fixed_tail_is_caught(kept, tmp_path):
    tickets, whole, copy, key = kept
    victim = tickets[2]
    truncate_with_fixed_tail(victim, 2)
    assert events("verify")[0] == 0, "the chain and its tail agree again"
    code, _, err = events("verify", "--checkpoint", str(whole))
    assert code == 1 and f"{victim.number}: the checkpoint holds 4 event(s), the log 2 (truncated)" in err
    assert standalone(whole, exported(tmp_path), key)[0] == 1


def test_a_truncation_filled_back_up_to_the_same_count_is_caught(world, kept):
    tickets, whole, *_ = kept
    victim = tickets[0]
    truncate_with_fixed_tail(victim, 2)
    for minute in (40, 41):
        actions.reply(victim, actor=world.people["agent"], body="Another story", at=MONDAY + timedelta(minutes=minute))
    assert Ticket.objects.get(pk=victim.pk).event_count == 4 and events("verify")[0] == 0
    code, _, err = events("verify", "--checkpoint", str(whole))
    assert code == 1 and f"{victim.number} #4: hash" in err


def test_a_deleted_ticket_is_a_gap_in_the_ledger_and_missing_from_the_checkpoint(kept, tmp_path):
    tickets, whole, copy, key = kept
    victim = tickets[1]
    issued = IssuedNumber.objects.get(number=victim.number).issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    delete_ticket(victim)
    code, _, err = events("verify")
    assert code == 1 and f"issued number: {victim.number}: issued {issued}, missing" in err
    code, _, err = events("verify", "--checkpoint", str(whole))
    assert code == 1
    assert f"{victim.number}: in the checkpoint with 4 event(s), missing from the log (deleted)" in err
    assert f"{victim.number}: issued {issued}, missing" in err
    code, out = standalone(whole, exported(tmp_path), key)
    assert code == 1 and f"{victim.number}: issued" in out


def test_a_deleted_ticket_with_its_ledger_entry_wound_back_is_caught_by_the_checkpoint(kept, tmp_path):
    tickets, whole, copy, key = kept
    victim = tickets[2]
    delete_ticket(victim, with_ledger_entry=True)
    assert events("verify")[0] == 0, "the last number, its entry and the counter all gone: nothing left to see"
    code, _, err = events("verify", "--checkpoint", str(whole))
    assert code == 1
    assert f"{victim.number}: in the checkpoint with 4 event(s), missing from the log (deleted)" in err
    assert "ledger of incident: the checkpoint holds 3 number(s), the log 2 (truncated)" in err
    assert TicketCounter.objects.get(kind="incident").last == 2


def test_a_kept_checkpoint_edited_to_fit_fails_its_tree_or_its_signature(kept, tmp_path):
    tickets, whole, copy, key = kept
    victim = tickets[0]
    rewrite_consistently(victim, 2, {"body": "Rewritten", "from_customer": False})
    content = json.loads(whole.read_text())
    group = next(group for group in content["groups"] if group["name"] == "contract:globex-ito")
    leaf = next(leaf for leaf in group["leaves"] if leaf["ticket"] == victim.number)
    leaf["head"] = Ticket.objects.get(pk=victim.pk).last_hash
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(content))
    code, _, err = events("verify", "--checkpoint", str(edited))
    assert code == 1 and "contract:globex-ito: its leaves give root" in err
    # The group's root and the statement's root made to fit: only the provider's key could sign that.
    group["root"] = group_root(group["leaves"]).hex()
    heads = [GroupHead(g["name"], len(g["leaves"]), g["root"]) for g in content["groups"]]
    statement = json.loads(content["statement"])
    statement["root"] = checkpoint_root(heads)
    content["statement"] = canonical(statement).decode()
    edited.write_text(json.dumps(content))
    code, _, err = events("verify", "--checkpoint", str(edited))
    assert code == 1 and "signature: does not verify" in err


def test_the_signature_checks_with_openssl(kept, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    _, whole, _, key = kept
    content = json.loads(whole.read_text())
    (tmp_path / "statement").write_bytes(content["statement"].encode())
    (tmp_path / "signature").write_bytes(base64.b64decode(content["signature"]))
    done = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            str(key),
            "-rawin",
            "-in",
            str(tmp_path / "statement"),
            "-sigfile",
            str(tmp_path / "signature"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "Signature Verified Successfully" in done.stdout
    (tmp_path / "statement").write_bytes(content["statement"].replace('"sequence":1', '"sequence":2').encode())
    done = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            str(key),
            "-rawin",
            "-in",
            str(tmp_path / "statement"),
            "-sigfile",
            str(tmp_path / "signature"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
