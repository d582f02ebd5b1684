"""The admin shows contract versions and never writes them: versions are written by the contract actions only."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from servicepact.contracts.models import ContractVersion
from servicepact.testing import factories


@pytest.fixture
def superuser_client(client, world):
    boss = factories.UserFactory(
        email="root@example.test", organization=world.provider, is_staff=True, is_superuser=True
    )
    client.force_login(boss)
    return client


def test_versions_are_listed_and_shown_but_not_added_changed_or_deleted(superuser_client, world):
    version = world.version
    before = list(ContractVersion.objects.values_list("pk", "status", "source", "sha256"))
    listed = superuser_client.get(reverse("admin:contracts_contractversion_changelist"))
    assert listed.status_code == 200 and b"Globex application maintenance" in listed.content
    assert reverse("admin:contracts_contractversion_add").encode() not in listed.content
    shown = superuser_client.get(reverse("admin:contracts_contractversion_change", args=[version.pk]))
    assert shown.status_code == 200
    assert b'name="_save"' not in shown.content and b"deletelink" not in shown.content
    assert superuser_client.get(reverse("admin:contracts_contractversion_add")).status_code == 403
    changed = superuser_client.post(
        reverse("admin:contracts_contractversion_change", args=[version.pk]),
        {"source": "changed", "number": 1, "status": "draft"},
    )
    assert changed.status_code == 403
    deleted = superuser_client.post(
        reverse("admin:contracts_contractversion_delete", args=[version.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    assert list(ContractVersion.objects.values_list("pk", "status", "source", "sha256")) == before


def test_services_show_their_names_from_the_version_in_force(superuser_client, world):
    listed = superuser_client.get(reverse("admin:contracts_service_changelist"))
    assert listed.status_code == 200 and b"Manufacturing execution (Asia)" in listed.content
    contract = superuser_client.get(reverse("admin:contracts_contract_change", args=[world.contract.pk]))
    assert contract.status_code == 200 and b"HR portal" in contract.content


def test_a_version_text_is_shown_with_its_indentation_in_a_pre_block(superuser_client, world):
    shown = superuser_client.get(reverse("admin:contracts_contractversion_change", args=[world.version.pk]))
    assert shown.status_code == 200
    page = shown.content.decode()
    start = page.index('<pre class="contract-source"')
    block = page[start : page.index("</pre>", start)]
    indented = [line for line in world.version.source.splitlines() if line.startswith("  ") and line.strip()]
    assert indented, "the sample text has nested keys"
    for line in indented[:20]:
        assert escape(line) in block
    assert "<br>" not in block
