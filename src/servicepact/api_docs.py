"""The API's documentation: Swagger UI at /api/docs and the OpenAPI document at /api/openapi.json.

Swagger UI is vendored (``static/servicepact/vendor/swagger-ui-*``, swagger-ui-dist with its licence) and
started by a static script, so the page loads nothing from another origin, works offline and keeps to
the Content Security Policy (no inline script). Both pages need what the API needs, a session or an API
token, unless ``SERVICEPACT_API_DOCS_PUBLIC`` opens them: the document lists every operation and field,
which is no one's business before signing in.
"""

from collections.abc import Callable, Sequence
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase
from ninja.openapi.views import openapi_json

from servicepact.problem_details import PROBLEM_CONTENT_TYPE


class VendoredSwagger(DocsBase):
    """Swagger UI from the vendored files, set up by ``static/servicepact/api-docs.js``."""

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, "api_docs/swagger.html", context)


DOCS = VendoredSwagger()


def _signed_in(request: HttpRequest, authentication: Sequence[Callable]) -> bool:
    """As an API operation decides it: any of the API's authentication methods accepts the request."""
    return any(authenticate(request) for authenticate in authentication)


def behind_sign_in(authentication: Sequence[Callable]) -> Callable[[Callable], Callable]:
    """NinjaAPI's ``docs_decorator``: the docs page sends a stranger to the login page, the OpenAPI
    document answers 401 as the API does; both open to anyone with SERVICEPACT_API_DOCS_PUBLIC."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        # Ninja hands over partial(openapi_json, api=...) or partial(openapi_view, api=...).
        is_document = getattr(view, "func", view) is openapi_json

        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if settings.SERVICEPACT_API_DOCS_PUBLIC or _signed_in(request, authentication):
                return view(request, *args, **kwargs)
            if not is_document:
                return redirect_to_login(request.get_full_path())
            body = {
                "type": "about:blank",
                "title": "Not authenticated",
                "status": 401,
                "detail": "Log in, or send an API token as 'Authorization: Bearer <token>'.",
            }
            response = JsonResponse(body, status=401, content_type=PROBLEM_CONTENT_TYPE)
            response["WWW-Authenticate"] = "Bearer"
            return response

        return guarded

    return decorate
