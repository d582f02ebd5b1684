"""Contract versions: registering a text the kernel accepts, signing by both parties, the one in force."""

from datetime import datetime, timezone

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from servicepact.contracts import actions
from servicepact.contracts.models import Contract, Service, VersionStatus
from servicepact.refusals import ActionRefused
from servicepact.testing.factories import EXAMPLE_CONTRACT

TEXT = EXAMPLE_CONTRACT.read_text()


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fresh_contract(world):
    """The reference contract with no version yet (the world's contract has a signed one)."""
    world.contract.tickets.all().delete()
    contract = Contract.objects.get(pk=world.contract.pk)
    contract.versions.all().update(status=VersionStatus.DRAFT)
    contract.versions.all().delete()
    return contract


def test_register_takes_number_dates_and_services_from_the_text(world, fresh_contract):
    version = actions.register_version(fresh_contract, actor=world.people["administrator"], source=TEXT)
    assert (version.number, version.status) == (1, VersionStatus.DRAFT)
    assert version.effective_from.isoformat() == "2026-01-01"
    assert version.effective_to.isoformat() == "2027-12-31"
    assert Service.objects.get(contract=fresh_contract, key="hr-portal").tier == 3
    assert Service.objects.filter(contract=fresh_contract).count() == 4


def test_register_refuses_a_bad_text_listing_each_problem(world, fresh_contract):
    bad = TEXT.replace("within: 15m", "within: 1d").replace("tier: 3", "tier: three")
    with pytest.raises(ActionRefused) as refused:
        actions.register_version(fresh_contract, actor=world.people["administrator"], source=bad)
    problems = refused.value.errors["source"]
    assert len(problems) >= 2
    assert all(problem.startswith("globex-ito.yaml:") for problem in problems)
    assert not fresh_contract.versions.exists()


def test_register_refuses_a_text_of_another_contract(world):
    with pytest.raises(ActionRefused) as refused:
        actions.register_version(world.other_contract, actor=world.people["administrator"], source=TEXT)
    assert any("initech-ito" in problem for problem in refused.value.errors["source"])


def test_register_needs_a_party_administrator(world, fresh_contract):
    with pytest.raises(PermissionDenied):
        actions.register_version(fresh_contract, actor=world.people["agent"], source=TEXT)
    with pytest.raises(PermissionDenied):
        actions.register_version(fresh_contract, actor=world.people["other-manager"], source=TEXT)


def test_both_parties_sign_then_the_version_is_immutable_and_in_force(world, fresh_contract):
    version = actions.register_version(fresh_contract, actor=world.people["customer-manager"], source=TEXT)
    with pytest.raises(ActionRefused):
        actions.version_in_force(fresh_contract, datetime(2026, 3, 1, tzinfo=timezone.utc))
    with pytest.raises(PermissionDenied):
        actions.sign_version(version, actor=world.people["agent"], party="provider")
    with pytest.raises(PermissionDenied):
        actions.sign_version(version, actor=world.people["requester"], party="customer")
    version = actions.sign_version(version, actor=world.people["customer-manager"], party="customer")
    assert version.status == VersionStatus.DRAFT
    with pytest.raises(ActionRefused):
        actions.sign_version(version, actor=world.people["customer-manager"], party="customer")
    version = actions.sign_version(version, actor=world.people["administrator"])
    assert version.status == VersionStatus.SIGNED
    assert actions.version_in_force(fresh_contract, datetime(2026, 3, 1, tzinfo=timezone.utc)) == version
    with pytest.raises(ActionRefused) as refused:
        actions.register_version(fresh_contract, actor=world.people["administrator"], source=TEXT)
    assert "number the new text 2" in refused.value.message
    version.source = "changed"
    with pytest.raises(ValidationError):
        version.save()


def test_version_in_force_follows_effective_dates_and_numbers(world):
    second = TEXT.replace("version: 1", "version: 2").replace("from: 2026-01-01", "from: 2026-07-01")
    version = actions.register_version(world.contract, actor=world.people["administrator"], source=second)
    actions.sign_version(version, actor=world.people["customer-manager"])
    version = actions.sign_version(version, actor=world.people["administrator"])
    assert actions.version_in_force(world.contract, datetime(2026, 6, 30, 23, tzinfo=timezone.utc)) == world.version
    assert actions.version_in_force(world.contract, datetime(2026, 7, 1, tzinfo=timezone.utc)) == version
    with pytest.raises(ActionRefused):
        actions.version_in_force(world.contract, datetime(2028, 1, 1, tzinfo=timezone.utc))
