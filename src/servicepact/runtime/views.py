from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from servicepact.permissions.declared import open_view
from servicepact.runtime import health


# Public on purpose: load balancers and monitors call it without credentials; it reveals no data.
@open_view("load balancers and monitors call it without credentials; it reveals no data")
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the web works (ok or degraded: load balancers keep sending traffic); 503 when the
    database is down, and also when degraded if asked with ``?strict`` (for monitors that read only
    the status code)."""
    report = health.check(connection, timezone.now())
    failing = report.status == "down" or (report.status != "ok" and "strict" in request.GET)
    return JsonResponse(report.as_dict(), status=503 if failing else 200)
