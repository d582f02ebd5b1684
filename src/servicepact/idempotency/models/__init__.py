from servicepact.idempotency.models.key import IdempotencyKey

__all__ = ["IdempotencyKey"]
