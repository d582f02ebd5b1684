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
