"""``Idempotency-Key`` on the API's creates: a retry after a lost answer creates nothing twice.

A client that sends ``Idempotency-Key: <up to 255 visible ASCII characters>`` with a create and never
sees the answer (a timeout, a dropped connection) sends the same request with the same key again and
gets the first answer again, with ``Idempotent-Replayed: true``; nothing is created twice. The same key
with a different request (another body, another path) is refused with 422; a retry that arrives while
the first request is still running is refused with 409 and may be sent again a moment later. Keys are
per person (two people may use the same key) and hold for ``KEY_LIFETIME``; only successful answers are
kept, so a refused create can be corrected and sent again under the same key.

One mechanism for every create, declared beside each operation with ``@idempotent`` (under the
operation's permission). Two halves, because the person is known only once ninja has authenticated the
request: the operation's whole run (authentication, handler, answer) is one database transaction, and
inside it the handler's half finds the person's key, or records it before the handler runs; the run's
half then stores the answer on the same row. The key and the record it created commit together or not
at all; the unique (person, key) constraint makes a concurrent duplicate wait for the first and fail.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from servicepact.idempotency.models import IdempotencyKey
from servicepact.refusals import ActionRefused

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
# Where the handler's half leaves the row it recorded for the run's half to complete.
CLAIM_ATTRIBUTE = "_servicepact_idempotency_key"
# Marks an operation as idempotent, for the test that every create is.
DECLARED_ATTRIBUTE = "idempotent"

HEADER_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": (
        "Any unique string of visible ASCII characters (a UUID, say). A retry with the same key and the same "
        "request within 24 hours creates nothing again and gets the first answer, with `Idempotent-Replayed: "
        "true`; the same key with another request is refused with 422, and one that arrives while the first "
        "is still being processed with 409. Keys are per person; only successful answers are kept."
    ),
}


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all("!" <= character <= "~" for character in key)


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of what the request asks: method, path, query and body (form fields and files' content for
    multipart, whose boundary a client may choose anew on every retry)."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"field\0{name}\0{value}\0".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"file\0{name}\0{upload.name}\0{upload.size}\0".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(f"{request.content_type}\0".encode())
        digest.update(request.body)
    return digest.hexdigest()


def _replay(stored: IdempotencyKey, request_fingerprint: str) -> HttpResponse:
    if stored.fingerprint != request_fingerprint:
        message = f"This {HEADER} was used for another request; use a new key for a new request."
        raise ActionRefused(message, errors={HEADER: [message]}, status=422)
    response = HttpResponse(stored.body, status=stored.status, content_type=stored.content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def _in_progress() -> ActionRefused:
    message = f"A request with this {HEADER} is being processed; send it again in a moment for its answer."
    return ActionRefused(message, errors={HEADER: [message]}, status=409)


def _find(request: HttpRequest, key: str, now) -> IdempotencyKey | None:
    return (
        IdempotencyKey.objects.visible_to(request.auth)
        .filter(key=key, created_at__gte=now - KEY_LIFETIME, status__isnull=False)
        .first()
    )


def _claim(request: HttpRequest, key: str, operation: str) -> HttpResponse | None:
    """The stored answer to replay; or None, having recorded the key (in the run's transaction)."""
    if not _valid_key(key):
        message = f"{HEADER} must be 1 to {MAX_KEY_LENGTH} visible ASCII characters."
        raise ActionRefused(message, errors={HEADER: [message]}, status=422)
    now = timezone.now()
    request_fingerprint = fingerprint(request)
    stored = _find(request, key, now)
    if stored is not None:
        return _replay(stored, request_fingerprint)
    # An expired key of the same person may be used again: its old row goes first.
    IdempotencyKey.objects.visible_to(request.auth).filter(key=key, created_at__lt=now - KEY_LIFETIME).delete()
    try:
        with transaction.atomic():
            claim = IdempotencyKey.objects.create(
                person=request.auth, key=key, operation=operation, fingerprint=request_fingerprint, created_at=now
            )
    except IntegrityError:
        # The same key is being used by a concurrent request: on PostgreSQL the insert waited for it to
        # finish, so its answer may be readable now.
        stored = _find(request, key, now)
        if stored is not None:
            return _replay(stored, request_fingerprint)
        raise _in_progress() from None
    setattr(request, CLAIM_ATTRIBUTE, claim)
    return None


def _run_in_one_transaction(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The run's half: with a key, authentication, the handler and the storing of its answer are one
    transaction."""

    @wraps(run)
    def run_atomically(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if HEADER not in request.headers:
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            claim = getattr(request, CLAIM_ATTRIBUTE, None)
            if claim is not None:
                if 200 <= response.status_code < 300:
                    claim.status = response.status_code
                    claim.content_type = response.get("Content-Type", "")
                    claim.body = response.content.decode()
                    claim.save(update_fields=["status", "content_type", "body"])
                else:
                    # Refused: the action changed nothing, and the key stays free for a corrected request.
                    claim.delete()
        return response

    return run_atomically


def _document(operation) -> None:
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), HEADER_PARAMETER]
    operation.openapi_extra = extra


def idempotent(view: Callable) -> Callable:
    """Declare an API create idempotent under ``Idempotency-Key``; put it below the permission decorator."""

    @wraps(view)
    def claiming(request: HttpRequest, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is not None:
            replayed = _claim(request, key, view.__name__)
            if replayed is not None:
                return replayed
        return view(request, *args, **kwargs)

    setattr(claiming, DECLARED_ATTRIBUTE, True)
    contribute_operation_callback(claiming, _document)
    return decorate_view(_run_in_one_transaction)(claiming)


def is_idempotent(view: Callable) -> bool:
    return getattr(view, DECLARED_ATTRIBUTE, False)
