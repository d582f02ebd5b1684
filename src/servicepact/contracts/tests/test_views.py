"""The contract pages: versions, a version's text and changes before its sign buttons, registering, signing."""

import html

import pytest
from django.urls import reverse

from servicepact.contracts import actions
from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.testing.factories import EXAMPLE_CONTRACT

TEXT = EXAMPLE_CONTRACT.read_text()
SECOND = TEXT.replace("version: 1\n", "version: 2\n", 1).replace(
    "P2: {within: 8h,  calendar: service}", "P2: {within: 6h,  calendar: service}"
)


def page(client, person, name, *args, **kwargs):
    client.force_login(person)
    return client.get(reverse(name, args=args), **kwargs)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def draft(world) -> ContractVersion:
    return actions.register_version(world.contract, actor=world.people["administrator"], source=SECOND)


def test_the_list_offers_the_contracts_whose_text_one_reads(client, world):
    response = page(client, world.people["customer-manager"], "contracts:list")
    assert response.status_code == 200
    body = text_of(response)
    assert 'data-contract="globex-ito"' in body and "initech-ito" not in body
    assert 'href="/contracts/"' in body  # the header's section link
    response = page(client, world.people["vendor-engineer"], "contracts:list")
    assert response.status_code == 403


def test_the_contract_page_lists_versions_with_dates_signatures_and_sha256(client, world, draft):
    response = page(client, world.people["agent"], "contracts:contract", "globex-ito")
    assert response.status_code == 200
    body = text_of(response)
    assert 'data-version="2" data-status="draft"' in body and 'data-version="1" data-status="signed"' in body
    assert "2026-01-01 – 2027-12-31" in body
    assert draft.sha256[:12] in body and world.version.sha256[:12] in body
    assert "Register a new version" not in body  # an agent may not
    assert 'data-service="sap-erp"' in body and "SAP ERP" in body


def test_the_version_page_shows_the_text_indented_and_the_diff_before_the_sign_buttons(client, world, draft):
    response = page(client, world.people["customer-manager"], "contracts:version", "globex-ito", 2)
    assert response.status_code == 200
    body = text_of(response)
    assert '<span class="line">      P2: {within: 6h,  calendar: service}</span>' in body
    assert "clocks.resolution" in body and "8h service" in body and "6h service" in body
    assert body.index('id="changes"') < body.index('id="sign"') < body.index('id="text"')
    assert 'data-party="customer"' in body and "Sign for the customer" in body
    assert "Sign for the provider" not in body  # a customer manager signs for the customer only


def test_the_first_version_has_nothing_to_compare_and_no_sign_button_once_signed(client, world):
    body = text_of(page(client, world.people["administrator"], "contracts:version", "globex-ito", 1))
    assert 'id="no-previous"' in body and 'id="sign"' not in body


def test_the_register_form_starts_from_the_latest_text(client, world):
    response = page(client, world.people["customer-manager"], "contracts:register", "globex-ito")
    assert response.status_code == 200
    assert "  sap-erp:   {name: SAP ERP, tier: 1, calendar: eu-business}" in text_of(response)


def test_registering_a_text_with_crlf_lines_stores_it_with_lf_and_shows_the_draft(client, world):
    client.force_login(world.people["customer-manager"])
    response = client.post(reverse("contracts:register", args=["globex-ito"]), {"source": SECOND.replace("\n", "\r\n")})
    assert response.status_code == 302 and response["Location"] == "/contracts/globex-ito/versions/2/"
    version = ContractVersion.objects.get(contract=world.contract, number=2)
    assert version.source == SECOND and version.registered_by == world.people["customer-manager"]


def test_a_bad_text_comes_back_with_its_problems_by_line_and_nothing_is_registered(client, world):
    client.force_login(world.people["administrator"])
    bad = SECOND.replace("tier: 3", "tier: three")
    line = 1 + bad[: bad.index("tier: three")].count("\n")
    response = client.post(reverse("contracts:register", args=["globex-ito"]), {"source": bad})
    assert response.status_code == 422
    body = text_of(response)
    assert f"globex-ito.yaml:{line}:" in body and 'id="problems"' in body
    assert "tier: three" in body  # the text stays in the form to be corrected
    assert not ContractVersion.objects.filter(number=2).exists()


def test_both_parties_sign_through_the_page(client, world, draft):
    client.force_login(world.people["customer-manager"])
    url = reverse("contracts:sign", args=["globex-ito", 2])
    response = client.post(url, {"party": "customer", "sha256": draft.sha256})
    assert response.status_code == 302
    client.force_login(world.people["administrator"])
    response = client.post(url, {"party": "provider", "sha256": draft.sha256}, follow=True)
    assert "signed by both parties" in text_of(response)
    assert ContractVersion.objects.get(pk=draft.pk).status == VersionStatus.SIGNED


def test_signing_a_text_replaced_since_it_was_read_is_refused_on_the_page(client, world, draft):
    read = draft.sha256
    actions.register_version(world.contract, actor=world.people["administrator"], source=SECOND + "# again\n")
    client.force_login(world.people["customer-manager"])
    response = client.post(reverse("contracts:sign", args=["globex-ito", 2]), {"party": "customer", "sha256": read})
    assert response.status_code == 422
    assert "replaced by another text" in text_of(response)
    assert ContractVersion.objects.get(pk=draft.pk).customer_signed_by is None


def test_signing_for_the_other_party_is_forbidden(client, world, draft):
    client.force_login(world.people["customer-manager"])
    response = client.post(
        reverse("contracts:sign", args=["globex-ito", 2]), {"party": "provider", "sha256": draft.sha256}
    )
    assert response.status_code == 403
    assert ContractVersion.objects.get(pk=draft.pk).provider_signed_by is None


def test_another_tenant_does_not_find_the_contract(client, world):
    assert page(client, world.people["other-manager"], "contracts:contract", "globex-ito").status_code == 404
    assert page(client, world.people["other-manager"], "contracts:version", "globex-ito", 1).status_code == 404


def test_the_pages_read_in_chinese(client, world, draft):
    manager = world.people["customer-manager"]
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    body = text_of(page(client, manager, "contracts:version", "globex-ito", 2))
    assert "代表客户签署" in body and "合同文本" in body
