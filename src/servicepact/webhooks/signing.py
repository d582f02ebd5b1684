"""How a webhook's payload is signed, and how a receiver checks it (docs/webhooks.md).

Header ``Servicepact-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is the HMAC-SHA256, keyed with
the endpoint's secret (UTF-8), of ``<t>.`` followed by the request's body bytes exactly as received. A
receiver recomputes it, compares in constant time, and refuses a ``t`` too far from its own clock (five
minutes is usual), which stops a captured request from being replayed later.
"""

import hashlib
import hmac
import json
import time

HEADER = "Servicepact-Signature"
TOLERANCE_S = 300


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: float | None = None, tolerance_s: int = TOLERANCE_S) -> bool:
    """What a receiver does: True when ``header`` signs ``body`` with ``secret`` and is recent enough."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)
