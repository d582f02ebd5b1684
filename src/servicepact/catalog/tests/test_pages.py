"""The catalogue's pages and operations driven as a requester, a manager and an agent do."""

import pytest
from django.test import Client
from django.urls import reverse

from servicepact.catalog.models import Approval, ServiceRequest
from servicepact.catalog.tests.factories import build_catalog
from servicepact.desk.models import Status


@pytest.fixture
def catalog(world):
    return build_catalog(world)


def client_of(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_request_through_the_pages_from_the_catalogue_to_resolution(world, catalog):
    requester = client_of(world.people["requester"])
    page = requester.get(reverse("catalog:catalog"), {"q": "sap"})
    assert page.status_code == 200 and b"Access to SAP" in page.content and b"VPN access" not in page.content
    item_url = reverse("catalog:item", args=[catalog.sap.pk])
    assert b"Business reason" in requester.get(item_url).content
    ask = reverse("catalog:ask", args=[catalog.sap.pk])
    refused = requester.post(ask, {"role": "Display"})
    assert refused.status_code == 422 and b"Business reason is required." in refused.content
    sent = requester.post(ask, {"reason": "Audit", "role": "Display", "temporary": "yes"})
    found = ServiceRequest.objects.get()
    assert sent.status_code == 302 and sent["Location"] == found.ticket.get_absolute_url()
    assert b"Business reason" in requester.get(sent["Location"]).content

    manager = client_of(world.people["customer-manager"])
    assert found.ticket.number.encode() in manager.get(reverse("catalog:approvals")).content
    ticket_page = manager.get(found.ticket.get_absolute_url())
    assert b"decision-form" in ticket_page.content
    manager.post(reverse("catalog:decide", args=[found.ticket.number]), {"decision": "approve", "reason": ""})
    found.refresh_from_db()
    assert found.approval == Approval.APPROVED

    agent = client_of(world.people["agent"])
    for task in found.tasks.order_by("position"):
        assert agent.post(reverse("catalog:tick", args=[task.pk])).status_code == 302
    assert b"request-resolve" in agent.get(found.ticket.get_absolute_url()).content
    agent.post(reverse("catalog:resolve", args=[found.ticket.number]), {"resolution": "Granted."})
    found.ticket.refresh_from_db()
    assert found.ticket.status == Status.RESOLVED


def test_the_api_submits_decides_and_ticks(world, catalog):
    requester = client_of(world.people["requester"])
    listed = requester.get("/api/contracts/globex-ito/catalog").json()
    assert [item["key"] for item in listed] == ["sap-access", "vpn-access"]
    detail = requester.get(f"/api/catalog/items/{catalog.sap.pk}").json()
    assert [field["key"] for field in detail["fields"]][:2] == ["reason", "role"]
    url = f"/api/catalog/items/{catalog.sap.pk}/requests"
    refused = requester.post(url, {"answers": {"role": "Display"}}, content_type="application/json")
    assert refused.status_code == 422 and "Business reason" in refused.content.decode()
    sent = requester.post(
        url, {"answers": {"reason": "Audit", "role": "Display", "temporary": True}}, content_type="application/json"
    )
    assert sent.status_code == 201 and sent.json()["approval"] == "pending"
    number = sent.json()["ticket"]
    manager = client_of(world.people["customer-manager"])
    assert [row["ticket"] for row in manager.get("/api/catalog/approvals").json()] == [number]
    rejected = manager.post(
        f"/api/catalog/requests/{number}/decision", {"approve": False, "reason": "No"}, content_type="application/json"
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "closed"
    other = client_of(world.people["other-requester"])
    assert other.get(f"/api/catalog/requests/{number}").status_code == 404
    assert other.get(f"/api/catalog/items/{catalog.sap.pk}").status_code == 404


def test_a_keeper_edits_an_item_and_a_bad_line_is_refused_naming_it(world, catalog):
    keeper = client_of(world.people["customer-manager"])
    url = reverse("catalog:edit_item", args=[catalog.vpn.pk])
    page = keeper.get(url)
    assert page.status_code == 200 and b"device | Device" in page.content
    form = {
        "key": "vpn-access",
        "name": "VPN access",
        "service": "sso",
        "priority": "P4",
        "task_order": "parallel",
        "active": "on",
        "team": "app-support-cn",
        "fields_text": "device | Device | 设备 | text | yes\nuntil | Until | 截止 | calendar | no",
        "tasks_text": "Create the VPN profile | | app-support-cn",
    }
    refused = keeper.post(url, form)
    assert refused.status_code == 422 and "Line 2: kind &#x27;calendar&#x27;" in refused.content.decode()
    assert catalog.vpn.fields.count() == 1
    form["fields_text"] = form["fields_text"].replace("calendar", "date")
    form["priority"] = "P9"
    assert keeper.post(url, form).status_code == 422  # P9 is not one of the contract's priorities
    form["priority"] = "P3"
    assert keeper.post(url, form).status_code == 302
    catalog.vpn.refresh_from_db()
    assert catalog.vpn.priority == "P3"
    assert [(f.key, f.kind, f.required) for f in catalog.vpn.fields.all()] == [
        ("device", "text", True),
        ("until", "date", False),
    ]
    assert list(catalog.vpn.tasks.values_list("title", flat=True)) == ["Create the VPN profile"]
    assert client_of(world.people["requester"]).get(url).status_code == 403
    new = reverse("catalog:new_item", args=["globex-ito"])
    form |= {"key": "vpn-access", "name": "Again"}
    assert "has the id vpn-access" in keeper.post(new, form).content.decode()
