from django.db import connection
from django.http import JsonResponse


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as error:  # the point of a health check is to report, not to raise
        database = f"error: {error}"
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database}, status=status)
