"""The OpenAPI document describes every error answer of each operation as a problem (RFC 9457), every request
body refuses fields it does not name, and the links between operations name operations that exist."""

import json

import jsonschema
import pytest

from servicepact.api import api
from servicepact.openapi import PROBLEM_CONTENT_TYPE, error_statuses
from tests.api_client import client_as, post_json

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict:
    # as a client reads it: through JSON, so status keys are text
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))


def operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_operation_lists_its_problem_answers(document):
    for path, method, operation in operations(document):
        responses = operation["responses"]
        expected = {"401", "403", "429"}
        if "{" in path:
            expected.add("404")
        if method in WRITES:
            expected.add("409")
        if operation.get("parameters") or "requestBody" in operation:
            expected.add("422")
        if "requestBody" in operation:
            expected |= {"400", "413", "415"}
        assert expected <= set(responses), f"{method.upper()} {path}: {sorted(expected - set(responses))} missing"
        for status in expected:
            content = responses[status]["content"]
            assert list(content) == [PROBLEM_CONTENT_TYPE], (method, path, status)
            assert content[PROBLEM_CONTENT_TYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}
            assert responses[status]["description"]


def test_the_listed_statuses_follow_the_rule_the_module_states(document):
    for _path, method, operation in operations(document):
        documented = {int(status) for status in operation["responses"] if int(status) >= 400}
        assert documented == set(error_statuses(method, operation))


def test_every_request_body_refuses_unknown_fields(document):
    """A new input schema that forgot InputSchema shows up here, not in a client that misspelt a field."""
    for path, method, operation in operations(document):
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if media_type != "application/json":
                continue
            body = resolve(document, media["schema"])
            assert body.get("additionalProperties") is False, f"{method.upper()} {path} accepts unknown fields"


def test_links_name_operations_that_exist_with_their_parameters(document):
    by_id = {operation["operationId"]: (path, operation) for path, _method, operation in operations(document)}
    found = 0
    for _path, _method, operation in operations(document):
        for answer in operation["responses"].values():
            for link in answer.get("links", {}).values():
                _path, target = by_id[link["operationId"]]
                names = {parameter["name"] for parameter in target.get("parameters", []) if parameter["in"] == "path"}
                assert set(link["parameters"]) == names, link
                found += 1
    assert found >= 10


def test_problem_answers_match_the_problem_schema(document, world):
    schema = {**document["components"]["schemas"]["Problem"], "components": document["components"]}
    client = client_as(world.people["requester"])
    answers = [
        post_json(client, "/api/tickets", {"contract": "globex-ito", "unknown": 1}),  # 422 with errors
        client.post("/api/tickets", data="{}", content_type="text/plain"),  # 415
        client.post("/api/tickets", data="{", content_type="application/json"),  # 400
        client.get("/api/tickets/NOPE-1"),  # 404
        client_as(None).get("/api/tickets"),  # 401
    ]
    assert [answer.status_code for answer in answers] == [422, 415, 400, 404, 401]
    for answer in answers:
        assert answer["Content-Type"] == PROBLEM_CONTENT_TYPE
        jsonschema.validate(answer.json(), schema)


def test_the_document_shows_a_whole_valid_request(document, world):
    create = document["paths"]["/api/tickets"]["post"]
    example = create["requestBody"]["content"]["application/json"]["example"]
    response = post_json(client_as(world.people["requester"]), "/api/tickets", example)
    assert response.status_code == 201, response.content
