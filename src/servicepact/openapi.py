"""What the OpenAPI document says beyond the routers: each operation's error answers, and the links between
operations that a client (or a stateful test) follows.

Every error the API gives is an RFC 9457 problem (``problems.py``), so each operation lists the statuses it
can answer with, all with the ``Problem`` body under ``application/problem+json``:

- 401, 403 and 429 for every operation that needs a session or a token (all of them today): not signed
  in, the permission declared beside the operation does not hold, or one API token sent too many requests;
- 404 where the path names an object (one you may not see is not found either);
- 409 for writes, refused when they conflict with the object's state;
- 422 where there are parameters or a body to refuse, with ``errors`` naming each field;
- 400, 413 and 415 where there is a body: not JSON, too large, or of another content type than the one
  the operation reads.
"""

from typing import Any

PROBLEM_CONTENT_TYPE = "application/problem+json"  # the content type of problems.problem()

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "An RFC 9457 problem: what went wrong, and for invalid input every field and why.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "Always about:blank: the status says what kind of problem it is."},
        "title": {"type": "string", "description": "A short summary, the same for every problem of the status."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong in this request."},
        "errors": {
            "type": "array",
            "description": "For invalid input: each refused field (dotted for nested fields) and why.",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

DESCRIPTIONS = {
    400: "The body is not JSON.",
    401: "Not authenticated: sign in, or send an API token as 'Authorization: Bearer <token>'.",
    403: "Forbidden: the operation's permission does not hold for you on this object.",
    404: "Not found: no such object, or one you may not see.",
    409: "Refused: the request conflicts with the object's state; nothing was changed.",
    413: "The body is larger than the server accepts.",
    415: "The body is not of the content type the operation reads; nothing was changed.",
    422: "Invalid request: a parameter, a field or a value is refused (errors names each); nothing was changed.",
    429: "Too many requests with this API token; Retry-After says in how many seconds to try again.",
}
WRITES = frozenset({"post", "put", "patch", "delete"})

# (operation, status) -> links to the operations its answer leads to, for clients and stateful tests.
LINKS: dict[tuple[str, int], dict[str, dict[str, Any]]] = {
    ("create_ticket", 201): {
        "GetTicket": {"operationId": "get_ticket", "parameters": {"number": "$response.body#/number"}},
        "ListTicketEvents": {"operationId": "list_ticket_events", "parameters": {"number": "$response.body#/number"}},
        "ListTicketClocks": {"operationId": "list_ticket_clocks", "parameters": {"number": "$response.body#/number"}},
        "ReplyToTicket": {"operationId": "reply_to_ticket", "parameters": {"number": "$response.body#/number"}},
        "AssignTicket": {"operationId": "assign_ticket", "parameters": {"number": "$response.body#/number"}},
        "ResolveTicket": {"operationId": "resolve_ticket", "parameters": {"number": "$response.body#/number"}},
        "UpdateTicket": {"operationId": "update_ticket", "parameters": {"number": "$response.body#/number"}},
    },
    ("resolve_ticket", 200): {
        "ReopenTicket": {"operationId": "reopen_ticket", "parameters": {"number": "$response.body#/number"}},
        "CloseTicket": {"operationId": "close_ticket", "parameters": {"number": "$response.body#/number"}},
    },
    ("create_token", 201): {
        "RevokeToken": {"operationId": "revoke_token", "parameters": {"token_id": "$response.body#/id"}},
    },
    ("register_contract_version", 201): {
        "GetContractVersion": {
            "operationId": "get_contract_version",
            "parameters": {"slug": "$request.path.slug", "number": "$response.body#/number"},
        },
        "SignContractVersion": {
            "operationId": "sign_contract_version",
            "parameters": {"slug": "$request.path.slug", "number": "$response.body#/number"},
        },
    },
    ("restate_report", 201): {
        "GetReport": {"operationId": "get_report", "parameters": {"report_id": "$response.body#/id"}},
    },
}


# Request bodies shown in the document (on the reference contract, globex-ito): a client sees a whole
# valid request, and a stateful test starts its links from one.
REQUEST_EXAMPLES: dict[str, dict[str, Any]] = {
    "create_ticket": {
        "contract": "globex-ito",
        "service": "sap-erp",
        "title": "Invoices cannot be posted",
        "impact": "high",
        "urgency": "medium",
        "description": "Since 9:00, every posting fails.",
    },
    "reply_to_ticket": {"body": "We are looking into it."},
    "resolve_ticket": {"resolution": "The posting job was restarted."},
    "reopen_ticket": {"reason": "It fails again."},
    "create_token": {"name": "reporting export"},
}


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation can answer with (see the module's text)."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    statuses = []
    if operation.get("security"):
        statuses += [401, 403, 429]
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses.append(404)
    if method in WRITES:
        statuses.append(409)
    if parameters or has_body:
        statuses.append(422)
    if has_body:
        statuses += [400, 413, 415]
    return sorted(statuses)


def describe_errors_and_links(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (ninja's document) with every operation's problem answers and the links added."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    problem = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            documented = {int(status) for status in responses}
            for status in error_statuses(method, operation):
                if status not in documented:
                    responses[status] = {"description": DESCRIPTIONS[status], "content": problem}
            example = REQUEST_EXAMPLES.get(operation.get("operationId"))
            if example is not None:
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    media["example"] = example
            for (operation_id, status), links in LINKS.items():
                if operation.get("operationId") == operation_id and status in responses:
                    responses[status]["links"] = links
    return schema
