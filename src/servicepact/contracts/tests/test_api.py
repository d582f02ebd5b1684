"""Registering, reviewing and signing contract versions through the API; refusals name the field and change nothing."""

import pytest

from servicepact.contracts.models import ContractVersion, Service, VersionStatus
from servicepact.testing.factories import EXAMPLE_CONTRACT
from tests.api_client import client_as, post_json, problem_fields

TEXT = EXAMPLE_CONTRACT.read_text()
SECOND = (
    TEXT.replace("version: 1\n", "version: 2\n", 1)
    .replace("from: 2026-01-01", "from: 2026-07-01", 1)
    .replace("P1: {within: 15m, calendar: always}", "P1: {within: 10m, calendar: always}")
)
VERSIONS = "/api/contracts/globex-ito/versions"


def stored() -> list[tuple]:
    return list(
        ContractVersion.objects.order_by("pk").values_list(
            "pk", "number", "status", "sha256", "customer_signed_by_id", "provider_signed_by_id"
        )
    )


def register(world, person="customer-manager", source=SECOND):
    return post_json(client_as(world.people[person]), VERSIONS, {"source": source})


def test_registering_answers_the_draft_with_number_dates_and_sha256_from_the_text(world):
    response = register(world)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["status"], body["effective_from"], body["effective_to"]) == (
        2,
        "draft",
        "2026-07-01",
        "2027-12-31",
    )
    assert body["source"] == SECOND and body["registered_by"] == "customer-manager@example.test"
    assert body["customer_signed_by"] is None and len(body["sha256"]) == 64


def test_a_bad_text_is_refused_under_source_with_line_and_column_and_nothing_is_stored(world):
    bad = SECOND.replace("tier: 3", "tier: three")
    line = 1 + bad[: bad.index("tier: three")].count("\n")
    before = stored()
    response = register(world, source=bad)
    assert response.status_code == 422
    assert problem_fields(response) == {"source"}
    messages = [error["message"] for error in response.json()["errors"]]
    assert any(message.startswith(f"globex-ito.yaml:{line}:") for message in messages), messages
    assert stored() == before


def test_a_missing_text_is_refused_naming_the_field(world):
    response = post_json(client_as(world.people["administrator"]), VERSIONS, {})
    assert response.status_code == 422 and problem_fields(response) == {"source"}


def test_a_signed_number_is_refused_as_a_conflict(world):
    before = stored()
    response = register(world, source=TEXT)
    assert response.status_code == 409 and problem_fields(response) == {"source"}
    assert "number the new text 2" in response.json()["detail"]
    assert stored() == before


@pytest.mark.parametrize("person, status", [("agent", 403), ("vendor-engineer", 403), ("other-manager", 404)])
def test_registering_is_refused_to_others_and_changes_nothing(world, person, status):
    before = stored()
    assert register(world, person).status_code == status
    assert stored() == before


def test_the_diff_against_the_previous_signed_version(world):
    register(world)
    body = client_as(world.people["analyst"]).get(f"{VERSIONS}/2/diff").json()
    assert body["previous"] == {"version": 1, "sha256": world.version.sha256}
    assert body["identical"] is False
    changes = {(c["item"], c["field"]): (c["old"], c["new"]) for c in body["changes"]}
    assert changes[("clocks.response", "target P1")] == ("15m always", "10m always")
    assert changes[("metadata", "effective from")] == ("2026-01-01", "2026-07-01")
    first = client_as(world.people["analyst"]).get(f"{VERSIONS}/1/diff").json()
    assert (first["previous"], first["changes"], first["identical"]) == (None, [], False)


def test_the_diff_is_for_readers_of_the_text(world):
    register(world)
    assert client_as(world.people["requester"]).get(f"{VERSIONS}/2/diff").status_code == 403
    assert client_as(world.people["other-manager"]).get(f"{VERSIONS}/2/diff").status_code == 404


def test_both_parties_sign_and_the_version_is_signed_and_its_services_exist(world):
    sha256 = register(world).json()["sha256"]
    url = f"{VERSIONS}/2/signatures"
    response = post_json(client_as(world.people["customer-manager"]), url, {"party": "customer", "sha256": sha256})
    assert response.status_code == 200, response.content
    assert (
        response.json()["status"] == "draft"
        and response.json()["customer_signed_by"] == "customer-manager@example.test"
    )
    response = post_json(client_as(world.people["administrator"]), url, {"sha256": sha256})
    assert response.json()["status"] == "signed" and response.json()["provider_signed_at"]
    assert ContractVersion.objects.get(contract=world.contract, number=2).status == VersionStatus.SIGNED
    assert Service.objects.filter(contract=world.contract).count() == 4


def test_a_second_signature_is_refused_and_changes_nothing(world):
    register(world)
    url = f"{VERSIONS}/2/signatures"
    post_json(client_as(world.people["customer-manager"]), url, {"party": "customer"})
    before = stored()
    response = post_json(client_as(world.people["customer-manager"]), url, {"party": "customer"})
    assert response.status_code == 409 and problem_fields(response) == {"party"}
    assert stored() == before


def test_signing_for_the_other_side_or_a_replaced_text_is_refused(world):
    register(world)
    url = f"{VERSIONS}/2/signatures"
    before = stored()
    response = post_json(client_as(world.people["customer-manager"]), url, {"party": "provider"})
    assert response.status_code == 403
    response = post_json(client_as(world.people["administrator"]), url, {"sha256": "0" * 64})
    assert response.status_code == 409 and problem_fields(response) == {"sha256"}
    response = post_json(client_as(world.people["administrator"]), url, {"party": "both"})
    assert response.status_code == 422 and problem_fields(response) == {"party"}
    response = post_json(client_as(world.people["agent"]), url, {})
    assert response.status_code == 403
    assert stored() == before


def test_an_unknown_version_is_not_found(world):
    assert post_json(client_as(world.people["administrator"]), f"{VERSIONS}/9/signatures", {}).status_code == 404
    assert client_as(world.people["administrator"]).get(f"{VERSIONS}/9/diff").status_code == 404


def test_the_list_shows_who_registered_and_signed_without_the_text(world):
    register(world)
    listed = client_as(world.people["vendor-engineer"]).get(VERSIONS).json()
    assert [row["number"] for row in listed] == [2, 1]
    assert listed[0]["registered_by"] == "customer-manager@example.test" and "source" not in listed[0]


def test_services_are_named_by_the_version_in_force_not_by_a_draft(world):
    register(world, source=SECOND.replace("{name: SAP ERP, tier: 1,", "{name: SAP S/4HANA, tier: 2,"))
    services = client_as(world.people["requester"]).get("/api/contracts/globex-ito").json()["services"]
    assert {"key": "sap-erp", "name": "SAP ERP", "tier": 1, "owning_team": "app-support-cn"} in services
