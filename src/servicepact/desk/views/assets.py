"""Files browsers ask for by a fixed name: /favicon.ico is the site's icon under its static name."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from servicepact.permissions.declared import open_view


@open_view("browsers ask for the site's icon before anyone signs in; it is a static file")
@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(static("servicepact/favicon.svg"))
