"""Errors of the API as RFC 9457 problem details (``application/problem+json``) with field-level detail.

``install_problem_handlers`` also has the API read bodies as JSON only (``request_bodies``: another content
type is a 415, malformed JSON a 400, each naming what was expected) and the OpenAPI document list every
operation's problem answers (``openapi``).
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from servicepact.openapi import describe_errors_and_links
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import JSON_CONTENT_TYPE, StrictParser, UnsupportedMediaType

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(
    api: NinjaAPI, request: HttpRequest, status: int, title: str, detail: str = "", errors: list[dict] | None = None
) -> HttpResponse:
    body: dict = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _pydantic_errors(errors: list[dict]) -> list[dict]:
    """Ninja's validation errors as {field, message}: the location without its 'body'/'query' head."""
    out = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        # The head names where the value came from, then the handler's parameter; a field may itself
        # be called "body", so only the head is dropped.
        if location and location[0] in ("body", "query", "path", "form", "file"):
            location.pop(0)
        if len(location) > 1 and location[0] in ("payload", "filters"):
            location.pop(0)
        out.append({"field": ".".join(location) or "__all__", "message": error.get("msg", "invalid")})
    return out


def _django_errors(error: ValidationError) -> list[dict]:
    if hasattr(error, "message_dict"):
        return [
            {"field": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "__all__", "message": message} for message in error.messages]


def install_problem_handlers(api: NinjaAPI) -> None:
    api.parser = StrictParser()
    document = api.get_openapi_schema

    def get_openapi_schema(*, path_prefix: str | None = None, path_params: dict | None = None):
        return describe_errors_and_links(document(path_prefix=path_prefix, path_params=path_params))

    api.get_openapi_schema = get_openapi_schema

    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc):
        return problem(api, request, 422, "Invalid request", "Some fields are invalid.", _pydantic_errors(exc.errors))

    @api.exception_handler(ValidationError)
    def on_django_validation(request, exc):
        return problem(api, request, 422, "Invalid request", "Some fields are invalid.", _django_errors(exc))

    @api.exception_handler(ActionRefused)
    def on_refused(request, exc):
        errors = [
            {"field": field, "message": message} for field, messages in exc.errors.items() for message in messages
        ]
        return problem(api, request, exc.status, "Refused", exc.message, errors)

    @api.exception_handler(AuthenticationError)
    def on_authentication(request, exc):
        return problem(
            api, request, 401, "Not authenticated", "Log in, or send an API token as 'Authorization: Bearer <token>'."
        )

    @api.exception_handler(AuthorizationError)
    def on_authorization(request, exc):
        return problem(api, request, 403, "Forbidden", str(exc) or "You may not do this.")

    @api.exception_handler(PermissionDenied)
    def on_permission(request, exc):
        return problem(api, request, 403, "Forbidden", str(exc) or "You may not do this.")

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return problem(api, request, 404, "Not found", str(exc) or "No such object, or you may not see it.")

    @api.exception_handler(Throttled)
    def on_throttled(request, exc):
        # Ninja adds Retry-After (whole seconds) to this answer.
        return problem(
            api,
            request,
            429,
            "Too many requests",
            "This API token sent more requests than allowed per minute; retry after the time given.",
        )

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        cause = exc.__cause__  # ninja turns a parser's exception into a 400 HttpError raised from it
        if isinstance(cause, UnsupportedMediaType):
            return problem(
                api,
                request,
                415,
                "Unsupported media type",
                f"The body is sent as {cause.content_type or 'no content type'}; send it as {JSON_CONTENT_TYPE}.",
            )
        if isinstance(
            cause, (ValueError, RecursionError)
        ):  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            reason = "it nests too deep" if isinstance(cause, RecursionError) else str(cause)
            return problem(api, request, 400, "Malformed JSON", f"The body is not {JSON_CONTENT_TYPE}: {reason}.")
        return problem(api, request, exc.status_code, "Error", str(exc))

    @api.exception_handler(DataError)
    def on_data_error(request, exc):
        # A path naming an object by a text with NUL in it: no object has such a key, and PostgreSQL refuses
        # to look for one (SQLite finds none). Any other DataError is a fault to see, not to hide.
        if "\x00" in request.path:
            return problem(api, request, 404, "Not found", "No object's key holds the NUL character.")
        raise exc

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return problem(
            api, request, 413, "Request too large", str(exc) or "The body is larger than the server accepts."
        )
