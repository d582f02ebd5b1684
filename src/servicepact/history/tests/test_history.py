"""A record's history: appended in order under a lock, hash-chained, written once (by the models and by the
database), every kind of tampering found by ``verify_all``, and readable exactly where the record is."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.template import Context, Template

from servicepact.contracts.models import Contract
from servicepact.evidence import guard
from servicepact.history import actions
from servicepact.history.models import HistoryEntry, HistoryHead
from servicepact.history.queries import history_of
from servicepact.history.verification import verify_all

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def subject(world, monkeypatch):
    """The contract stands for a record that keeps a history."""
    monkeypatch.setattr(Contract, "keeps_history", True, raising=False)
    return world.contract


@pytest.fixture
def chained(subject, world):
    admin = world.people["administrator"]
    first = actions.record(subject, type="registered", actor=admin, data={"text": "First"}, at=AT)
    second = actions.record(subject, type="changed", actor=admin, data={"reason": "Owner left"}, at=AT)
    actions.record(subject, type="changed", actor=None, data={"n": 3})
    return first, second


def raw(statement: str, params: list | None = None) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def test_entries_take_the_next_place_and_chain_their_hashes(chained, subject):
    first, second = chained
    entries = list(HistoryEntry.objects.of(subject))
    assert [entry.seq for entry in entries] == [1, 2, 3]
    assert first.prev_hash == "" and second.prev_hash == first.hash
    assert entries[2].prev_hash == second.hash
    head = HistoryHead.objects.get(subject_id=subject.pk)
    assert (head.length, head.last_hash) == (3, entries[2].hash)
    assert all(entry.hash == entry.compute_hash() for entry in entries)
    assert list(verify_all()) == []


def test_a_model_that_keeps_no_history_and_data_that_is_not_json_are_refused(world, subject):
    with pytest.raises(TypeError, match="does not keep a history"):
        actions.record(world.teams["app-cn"], type="x", actor=None)
    with pytest.raises(TypeError):
        actions.record(subject, type="x", actor=None, data={"when": AT})
    with pytest.raises(ValueError):
        actions.record(subject, type="x", actor=None, data={"ratio": float("nan")})
    assert not HistoryEntry.objects.exists()


def test_entries_are_written_once_by_the_models_and_by_the_database(chained):
    first, _ = chained
    first.data = {"text": "Rewritten"}
    with pytest.raises(TypeError):
        first.save()
    with pytest.raises(TypeError):
        HistoryEntry.objects.all().delete()
    with pytest.raises(IntegrityError, match="written once"):
        raw("UPDATE history_historyentry SET data = '{}' WHERE seq = 1")
    with pytest.raises(IntegrityError, match="written once"):
        raw("DELETE FROM history_historyentry WHERE seq = 3")
    assert HistoryEntry.objects.count() == 3


@pytest.mark.parametrize(
    "tampering, problem",
    [
        ('UPDATE history_historyentry SET data = \'{"text": "Other"}\' WHERE seq = 1', "hash"),
        ("DELETE FROM history_historyentry WHERE seq = 2", "sequence gap"),
        ("DELETE FROM history_historyentry WHERE seq = 3", "length on the head"),
        ("DELETE FROM history_historyentry", "entries"),
    ],
)
def test_tampering_past_the_triggers_is_found(chained, tampering, problem):
    with guard.maintenance("test: tampering"):
        raw(tampering)
    breaks = list(verify_all())
    assert problem in {found.problem for found in breaks}, breaks
    assert all(str(found) for found in breaks)


def test_a_consistent_rewrite_of_the_tail_still_disagrees_with_the_head(chained, subject):
    """Rewriting the last entry and its hash consistently leaves the head's last hash behind."""
    last = HistoryEntry.objects.of(subject).last()
    last.data = {"n": 4}
    forged = last.compute_hash()
    with guard.maintenance("test: consistent rewrite"):
        raw("UPDATE history_historyentry SET data = %s, hash = %s WHERE seq = 3", ['{"n": 4}', forged])
    assert [found.problem for found in verify_all()] == ["last hash on the head"]


def test_the_history_is_read_where_the_record_is_seen(chained, subject, world):
    assert history_of(subject, world.people["customer-manager"]).count() == 3
    assert history_of(subject, world.people["other-manager"]).count() == 0
    assert HistoryHead.objects.visible_to(world.people["other-manager"]).count() == 0


def test_the_timeline_names_each_entry_by_its_models_types(chained, subject, world, monkeypatch):
    from django.db.models import TextChoices

    class Types(TextChoices):
        REGISTERED = "registered", "Registered"

    monkeypatch.setattr(Contract, "history_types", Types, raising=False)
    html = Template("{% load history %}{% history_timeline entries %}").render(
        Context({"entries": history_of(subject, world.people["administrator"])})
    )
    assert "Registered" in html and "changed" in html and "Owner left" in html and "the system" in html


def test_events_verify_names_a_broken_record_history(chained):
    from django.core.management import CommandError, call_command

    call_command("events", "verify")
    with guard.maintenance("test: tampering"):
        raw("UPDATE history_historyentry SET type = 'forged' WHERE seq = 2")
    with pytest.raises(CommandError, match="break"):
        call_command("events", "verify")
