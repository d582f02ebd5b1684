"""Contract versions: registering a text the kernel accepts, signing by both parties, the one in force."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from servicepact.contracts import actions
from servicepact.contracts.models import Contract, ContractVersion, Service, VersionStatus, attach_terms
from servicepact.refusals import ActionRefused
from servicepact.testing.factories import EXAMPLE_CONTRACT, ContractFactory

TEXT = EXAMPLE_CONTRACT.read_text()
ACME_TEXT = TEXT.replace("contract: globex-ito", "contract: acme-ito")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def second_version(text: str = TEXT, **replacements: str) -> str:
    """Version 2 of the reference text, effective from 1 July 2026, with ``old=new`` replacements."""
    text = text.replace("version: 1\n", "version: 2\n", 1).replace("from: 2026-01-01", "from: 2026-07-01", 1)
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def sign_by_both(world, version: ContractVersion) -> ContractVersion:
    actions.sign_version(version, actor=world.people["customer-manager"], party="customer")
    return actions.sign_version(version, actor=world.people["administrator"], party="provider")


@pytest.fixture
def fresh_contract(world) -> Contract:
    """A contract between the world's customer and provider with no version and no service yet."""
    return ContractFactory(slug="acme-ito", title="Acme", customer=world.customer, provider=world.provider)


def test_register_takes_number_and_dates_from_the_text_and_makes_no_service(world, fresh_contract):
    version = actions.register_version(fresh_contract, actor=world.people["administrator"], source=ACME_TEXT)
    assert (version.number, version.status) == (1, VersionStatus.DRAFT)
    assert (version.effective_from.isoformat(), version.effective_to.isoformat()) == ("2026-01-01", "2027-12-31")
    assert version.registered_by == world.people["administrator"]
    assert version.sha256 == actions.sha256_of(ACME_TEXT)
    assert not Service.objects.filter(contract=fresh_contract).exists()


def test_register_refuses_a_bad_text_naming_each_problem_with_its_line_and_column(world, fresh_contract):
    bad = ACME_TEXT.replace("within: 15m", "within: 1d").replace("tier: 3", "tier: three")
    with pytest.raises(ActionRefused) as refused:
        actions.register_version(fresh_contract, actor=world.people["administrator"], source=bad)
    problems = refused.value.errors["source"]
    assert len(problems) >= 2
    tier_line = 1 + bad[: bad.index("tier: three")].count("\n")
    assert any(problem.startswith(f"acme-ito.yaml:{tier_line}:") and "tier" in problem for problem in problems)
    assert not fresh_contract.versions.exists()


def test_register_refuses_a_text_of_another_contract(world):
    with pytest.raises(ActionRefused) as refused:
        actions.register_version(world.other_contract, actor=world.people["administrator"], source=TEXT)
    assert any("initech-ito" in problem for problem in refused.value.errors["source"])


@pytest.mark.parametrize("person", ["agent", "analyst", "requester", "vendor-engineer", "other-manager"])
def test_register_needs_a_party_administrator_or_the_customers_manager(world, fresh_contract, person):
    with pytest.raises(PermissionDenied):
        actions.register_version(fresh_contract, actor=world.people[person], source=ACME_TEXT)
    assert not fresh_contract.versions.exists()


def test_both_parties_sign_then_the_version_is_signed_in_force_and_its_services_exist(world, fresh_contract):
    version = actions.register_version(fresh_contract, actor=world.people["customer-manager"], source=ACME_TEXT)
    with pytest.raises(ActionRefused):
        actions.version_in_force(fresh_contract, utc(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        actions.sign_version(version, actor=world.people["agent"], party="provider")
    with pytest.raises(PermissionDenied):
        actions.sign_version(version, actor=world.people["requester"], party="customer")
    with pytest.raises(PermissionDenied):
        actions.sign_version(version, actor=world.people["customer-manager"], party="provider")
    version = actions.sign_version(version, actor=world.people["customer-manager"])
    assert (version.status, version.customer_signed_by) == (VersionStatus.DRAFT, world.people["customer-manager"])
    assert not Service.objects.filter(contract=fresh_contract).exists()
    version = actions.sign_version(version, actor=world.people["administrator"], at=utc(2026, 2, 1, 9))
    assert version.status == VersionStatus.SIGNED
    assert version.provider_signed_at == utc(2026, 2, 1, 9)
    assert actions.version_in_force(fresh_contract, utc(2026, 3, 1)) == version
    services = attach_terms(Service.objects.filter(contract=fresh_contract).order_by("key"))
    assert [(s.key, s.name, s.tier) for s in services] == [
        ("hr-portal", "HR portal", 3),
        ("mes-asia", "Manufacturing execution (Asia)", 2),
        ("sap-erp", "SAP ERP", 1),
        ("sso", "Single sign-on", 1),
    ]


def test_a_second_signature_for_the_same_party_and_any_signature_once_signed_are_refused(world, fresh_contract):
    version = actions.register_version(fresh_contract, actor=world.people["administrator"], source=ACME_TEXT)
    actions.sign_version(version, actor=world.people["customer-manager"], party="customer")
    with pytest.raises(ActionRefused) as refused:
        actions.sign_version(version, actor=world.people["customer-manager"], party="customer")
    assert refused.value.status == 409 and "party" in refused.value.errors
    version = actions.sign_version(version, actor=world.people["administrator"], party="provider")
    with pytest.raises(ActionRefused) as refused:
        actions.sign_version(version, actor=world.people["administrator"], party="provider")
    assert "signed already" in refused.value.message


def test_a_replaced_draft_loses_its_signatures_and_is_not_signed_unseen(world, fresh_contract):
    first = actions.register_version(fresh_contract, actor=world.people["administrator"], source=ACME_TEXT)
    actions.sign_version(first, actor=world.people["customer-manager"], sha256=first.sha256)
    changed = ACME_TEXT.replace("title: Globex application", "title: Acme application")
    replaced = actions.register_version(fresh_contract, actor=world.people["administrator"], source=changed)
    assert replaced.pk == first.pk and replaced.customer_signed_by is None
    with pytest.raises(ActionRefused) as refused:
        actions.sign_version(replaced, actor=world.people["administrator"], sha256=first.sha256)
    assert list(refused.value.errors) == ["sha256"] and refused.value.status == 409
    assert ContractVersion.objects.get(pk=first.pk).provider_signed_by is None


def test_a_signed_number_is_never_replaced(world):
    with pytest.raises(ActionRefused) as refused:
        actions.register_version(world.contract, actor=world.people["administrator"], source=TEXT)
    assert "number the new text 2" in refused.value.message
    assert ContractVersion.objects.get(pk=world.version.pk).source == TEXT


def test_a_signed_version_refuses_save_delete_and_bulk_update_and_delete(world):
    signed = world.version
    signed.source = "changed"
    with pytest.raises(ValidationError):
        signed.save()
    with pytest.raises(ValidationError):
        ContractVersion.objects.get(pk=signed.pk).delete()
    draft = actions.register_version(world.contract, actor=world.people["administrator"], source=second_version())
    both = ContractVersion.objects.filter(contract=world.contract)
    with pytest.raises(TypeError, match="written once"):
        both.update(effective_to=None)
    with pytest.raises(TypeError, match="written once"):
        both.delete()
    with pytest.raises(TypeError, match="written once"):
        world.contract.versions.filter(number=1).update(source="changed")
    assert ContractVersion.objects.get(pk=signed.pk).source == TEXT
    assert ContractVersion.objects.get(pk=draft.pk).effective_to is not None
    # A draft alone is not final: it may still be changed or withdrawn.
    assert ContractVersion.objects.filter(pk=draft.pk).update(effective_to=None) == 1
    ContractVersion.objects.filter(pk=draft.pk).delete()
    assert list(world.contract.versions.values_list("number", flat=True)) == [1]


def test_a_draft_changes_no_service_live_until_signed_and_in_force(world):
    renamed = second_version(
        **{
            "{name: SAP ERP, tier: 1,": "{name: SAP S/4HANA, tier: 2,",
            "  hr-portal: {name: HR portal, tier: 3, calendar: cn-business}\n": "",
            "  sso:": "  crm:       {name: CRM, tier: 2, calendar: eu-business}\n  sso:",
        }
    )
    rows_before = list(Service.objects.order_by("pk").values_list("pk", "contract_id", "key", "owning_team_id"))
    draft = actions.register_version(world.contract, actor=world.people["administrator"], source=renamed)
    assert list(Service.objects.order_by("pk").values_list("pk", "contract_id", "key", "owning_team_id")) == rows_before
    sap = Service.objects.get(contract=world.contract, key="sap-erp")
    assert (sap.name, sap.tier) == ("SAP ERP", 1)

    sign_by_both(world, draft)
    assert Service.objects.filter(contract=world.contract, key="crm").exists()  # made by the signature
    services = {s.key: s for s in attach_terms(world.contract.services.all(), at=utc(2026, 6, 15))}
    assert (services["sap-erp"].name, services["sap-erp"].tier) == ("SAP ERP", 1)  # version 1 still in force
    assert not services["crm"].in_force and services["crm"].name == "CRM"
    services = {s.key: s for s in attach_terms(world.contract.services.all(), at=utc(2026, 7, 15))}
    assert (services["sap-erp"].name, services["sap-erp"].tier) == ("SAP S/4HANA", 2)
    assert services["crm"].in_force
    # Dropped by version 2: tickets still point to it; it keeps the name the last version listing it gave.
    assert (services["hr-portal"].name, services["hr-portal"].in_force) == ("HR portal", False)


def test_version_in_force_follows_effective_dates_and_numbers(world):
    version = sign_by_both(
        world, actions.register_version(world.contract, actor=world.people["administrator"], source=second_version())
    )
    assert actions.version_in_force(world.contract, utc(2026, 6, 30, 12)) == world.version
    assert actions.version_in_force(world.contract, utc(2026, 7, 1, 12)) == version
    with pytest.raises(ActionRefused) as refused:
        actions.version_in_force(world.contract, utc(2028, 1, 1, 12))
    assert refused.value.status == 409


def test_version_in_force_changes_at_midnight_in_the_reporting_time_zone_not_utc(world):
    # Europe/Berlin is UTC+2 in summer: 1 July begins there at 30 June 22:00 UTC.
    version = sign_by_both(
        world, actions.register_version(world.contract, actor=world.people["administrator"], source=second_version())
    )
    assert actions.version_in_force(world.contract, utc(2026, 6, 30, 21, 59, 59)) == world.version
    assert actions.version_in_force(world.contract, utc(2026, 6, 30, 22, 0)) == version
    # The last day of version 2 ends at midnight in Berlin too: 31 Dec 2027 23:00 UTC is 1 Jan 2028 there.
    with pytest.raises(ActionRefused):
        actions.version_in_force(world.contract, utc(2027, 12, 31, 23, 0))
    assert actions.version_in_force(world.contract, utc(2027, 12, 31, 22, 59)) == version


def test_version_in_force_reads_the_dates_in_a_zone_east_of_utc_too(world):
    eastern = second_version(
        **{"  timezone: Europe/Berlin          # weeks": "  timezone: Asia/Shanghai          # weeks"}
    )
    version = sign_by_both(
        world, actions.register_version(world.contract, actor=world.people["administrator"], source=eastern)
    )
    assert actions.version_in_force(world.contract, utc(2026, 6, 30, 15, 59)) == world.version
    assert actions.version_in_force(world.contract, utc(2026, 6, 30, 16, 0)) == version
