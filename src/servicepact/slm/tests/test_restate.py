"""Restatements: a ticket's clocks under another contract version, stored beside the original."""

import hashlib
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.desk import actions
from servicepact.refusals import ActionRefused
from servicepact.slm.actions import restate
from servicepact.slm.models import Restatement
from servicepact.slm.tests.conftest import clocks_of, open_ticket

RESOLVED_AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def draft(world, number: int, source: str) -> ContractVersion:
    return ContractVersion.objects.create(
        contract=world.contract,
        number=number,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=date(2026, 1, 1),
        status=VersionStatus.DRAFT,
    )


@pytest.fixture
def late_ticket(world):
    """A P2 opened Monday 09:00Z and resolved Tuesday 12:00Z: 8 h + 5 h of business time, breached."""
    ticket = open_ticket(world)
    actions.reply(ticket, actor=world.people["agent"], body="On it.", at=datetime(2026, 3, 2, 9, 10, tzinfo=UTC))
    actions.resolve_ticket(ticket, actor=world.people["agent"], resolution="Reposted.", at=RESOLVED_AT)
    return ticket


@pytest.fixture
def looser(world) -> ContractVersion:
    source = world.version.source.replace(
        "P2: {within: 8h,  calendar: service}", "P2: {within: 16h, calendar: service}"
    )
    assert source != world.version.source
    return draft(world, 3, source)


def test_a_restatement_is_stored_beside_the_original_never_over_it(world, late_ticket, looser):
    before = {name: (row.state, row.target_s, row.elapsed_s) for name, row in clocks_of(late_ticket).items()}
    restatement = restate(
        late_ticket, actor=world.people["analyst"], version=looser, reason="Backtest of v3", at=RESOLVED_AT
    )
    assert restatement.at == RESOLVED_AT and restatement.original_version == world.version
    resolution = restatement.clocks[1]
    assert (resolution["clock"], resolution["target_s"], resolution["elapsed_s"], resolution["state"]) == (
        "resolution",
        16 * 3600,
        13 * 3600,
        "met",
    )
    original = restatement.original_clocks[1]
    assert (original["target_s"], original["state"]) == (8 * 3600, "breached")
    assert original["breached_at"] == "2026-03-02T17:00:00Z"
    after = {name: (row.state, row.target_s, row.elapsed_s) for name, row in clocks_of(late_ticket).items()}
    assert after == before == {"response": ("met", 1800, 600), "resolution": ("breached", 8 * 3600, 13 * 3600)}
    restate(late_ticket, actor=world.people["customer-manager"], version=looser, reason="Customer's check")
    assert Restatement.objects.filter(ticket=late_ticket).count() == 2
    with pytest.raises(TypeError):
        restatement.save()


def test_only_either_partys_reporting_people_may_restate(world, late_ticket, looser):
    for person in ("requester", "agent", "vendor-engineer", "other-manager"):
        with pytest.raises(PermissionDenied):
            restate(late_ticket, actor=world.people[person], version=looser, reason="Why not")
    assert not Restatement.objects.exists()


def test_refusals_name_the_field(world, late_ticket, looser):
    analyst = world.people["analyst"]
    with pytest.raises(ActionRefused) as refused:
        restate(late_ticket, actor=analyst, version=looser, reason="  ")
    assert set(refused.value.errors) == {"reason"}
    other_version = world.other_contract.versions.get()
    with pytest.raises(ActionRefused) as refused:
        restate(late_ticket, actor=analyst, version=other_version, reason="Wrong contract")
    assert set(refused.value.errors) == {"version"}
    broken = draft(world, 4, world.version.source.replace("within: 8h,", "within: 1d,"))
    with pytest.raises(ActionRefused) as refused:
        restate(late_ticket, actor=analyst, version=broken, reason="Broken draft")
    assert "1d" in refused.value.errors["version"][0]
    no_p2 = draft(world, 5, world.version.source.replace("P2: {within: 8h,  calendar: service}\n", ""))
    with pytest.raises(ActionRefused) as refused:
        restate(late_ticket, actor=analyst, version=no_p2, reason="Fewer targets")
    assert "version" in refused.value.errors
    with pytest.raises(ActionRefused) as refused:
        restate(late_ticket, actor=analyst, version=late_ticket.contract_version, reason="Same again")
    assert "pinned to version 1 already" in refused.value.errors["version"][0]
    assert not Restatement.objects.exists()
