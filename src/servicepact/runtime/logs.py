"""What the console log of a running service shows: problems, not routine.

A refused or missing page (403, 404) is the visitor's business, not a fault of the service: it is one
line, without the traceback Django attaches to a PermissionDenied; a browser's own look for a site icon
is not worth a line at all. Tasks log only when they fail (their loggers are set to WARNING in settings).
"""

import logging

# Paths browsers ask for by themselves, whatever the page.
BROWSER_PROBES = ("/favicon.ico", "/apple-touch-icon.png", "/apple-touch-icon-precomposed.png")


class ClientErrorsInOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500:
            return True
        request = getattr(record, "request", None)
        if status == 404 and getattr(request, "path", "") in BROWSER_PROBES:
            return False
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
