"""Contracts and versions through the API: parties read, only managers read the text."""

import hashlib

from tests.api_client import client_as


def test_parties_list_their_contracts_only(world):
    listed = client_as(world.people["customer-manager"]).get("/api/contracts").json()
    assert [row["slug"] for row in listed] == ["globex-ito"]
    listed = client_as(world.people["agent"]).get("/api/contracts").json()
    assert {row["slug"] for row in listed} == {"globex-ito", "initech-ito"}
    listed = client_as(world.people["vendor-engineer"]).get("/api/contracts").json()
    assert [row["slug"] for row in listed] == ["globex-ito"]


def test_other_tenant_gets_404(world):
    response = client_as(world.people["other-manager"]).get("/api/contracts/globex-ito")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_contract_detail_lists_services_and_versions(world):
    body = client_as(world.people["requester"]).get("/api/contracts/globex-ito").json()
    assert {service["key"] for service in body["services"]} == {"sap-erp", "sso", "mes-asia", "hr-portal"}
    assert body["versions"] == [1]


def test_version_text_with_its_sha256_for_managers(world):
    response = client_as(world.people["customer-manager"]).get("/api/contracts/globex-ito/versions/1")
    assert response.status_code == 200
    body = response.json()
    assert hashlib.sha256(body["source"].encode()).hexdigest() == body["sha256"]
    assert body["status"] == "signed" and body["customer_signed_at"]


def test_vendor_and_requester_do_not_read_the_commercials(world):
    for key in ("vendor-engineer", "requester"):
        response = client_as(world.people[key]).get("/api/contracts/globex-ito/versions/1")
        assert response.status_code == 403, key
        assert b"monthly_fee" not in response.content
    listed = client_as(world.people["vendor-engineer"]).get("/api/contracts/globex-ito/versions").json()
    assert "source" not in listed[0]


def test_unknown_version_is_404(world):
    assert client_as(world.people["customer-manager"]).get("/api/contracts/globex-ito/versions/9").status_code == 404
