"""The header's sections per role: each person is offered exactly the parts of the service they may enter."""

import re

import pytest
from django.urls import reverse

from servicepact.desk import actions
from servicepact.testing import factories

SECTIONS = {
    "requester": ["portal"],
    "customer-manager": ["dashboard", "portal", "reports", "contracts", "changes", "billing"],
    "security-resolver": ["workspace", "portal", "changes"],
    "agent": ["workspace", "reports", "contracts", "changes", "billing"],
    "resolver": ["workspace", "reports", "changes", "billing"],
    "team-lead": ["dashboard", "workspace", "reports", "contracts", "changes", "billing"],
    "analyst": ["portal", "reports", "contracts", "changes", "billing"],
    "administrator": ["workspace", "reports", "contracts", "changes", "imports", "billing", "organization"],
    "vendor-engineer": ["workspace", "changes"],
    "other-requester": ["portal"],
    "other-manager": ["dashboard", "portal", "reports", "contracts", "changes", "billing"],
    "no-role": ["portal"],
}
SECTION_LINK = re.compile(r'<a href="([^"]+)" data-section="(\w+)" class="([^"]*)"')


def header_links(page: str) -> dict[str, tuple[str, str]]:
    """Section key -> (link, classes) of the header's navigation."""
    nav = page[page.index('<nav class="topnav"') : page.index("</nav>")]
    return {key: (url, classes.split()) for url, key, classes in SECTION_LINK.findall(nav)}


@pytest.mark.django_db
@pytest.mark.parametrize("person", sorted(SECTIONS))
def test_each_person_sees_the_sections_of_their_roles_and_each_link_opens(client, world, person):
    client.force_login(world.people[person])
    links = header_links(client.get(reverse("accounts:profile")).content.decode())
    assert list(links) == SECTIONS[person]
    for url, _classes in links.values():
        assert client.get(url, follow=True).status_code == 200, url


@pytest.mark.django_db
def test_the_customer_manager_reaches_the_reports_and_the_reports_section_is_active_there(client, world):
    client.force_login(world.people["customer-manager"])
    links = header_links(client.get(reverse("slm:reports")).content.decode())
    assert links["reports"] == (reverse("slm:reports"), ["active"])
    assert links["portal"][1] == []


@pytest.mark.django_db
def test_the_active_section_follows_the_page(client, world):
    client.force_login(world.people["agent"])
    queue = header_links(client.get(reverse("desk:queue", args=["triage"]), follow=True).content.decode())
    assert "active" in queue["workspace"][1] and "active" not in queue["reports"][1]
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert 'aria-current="page"' not in profile
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Invoices do not post",
        impact="high",
        urgency="medium",
    )
    ticket_page = header_links(client.get(reverse("desk:ticket", args=[ticket.number])).content.decode())
    assert "active" in ticket_page["workspace"][1]
    client.force_login(world.people["requester"])
    portal = client.get(reverse("desk:portal")).content.decode()
    assert "active" in header_links(portal)["portal"][1] and 'aria-current="page"' in portal


@pytest.mark.django_db
def test_superusers_see_every_section_and_administration_opens(client, world):
    boss = factories.UserFactory(
        email="root@example.test", organization=world.provider, is_staff=True, is_superuser=True
    )
    client.force_login(boss)
    links = header_links(client.get(reverse("accounts:profile")).content.decode())
    assert list(links) == ["workspace", "portal", "reports", "contracts", "changes", "imports", "billing", "admin"]
    assert client.get(links["admin"][0]).status_code == 200


@pytest.mark.django_db
def test_nobody_signed_in_sees_no_sections(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "data-section=" not in page
