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
    report = health.check(connection, timezone.now())
    return JsonResponse(report.as_dict(), status=503 if report.status == "down" else 200)
