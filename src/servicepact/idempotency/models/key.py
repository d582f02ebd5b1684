from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class IdempotencyKey(models.Model):
    """A person's ``Idempotency-Key`` for one create through the API, with the answer it got.

    Written in the same transaction as the record the request created, so that a key is stored exactly
    when its create happened; a retry with the same key and the same request gets this answer again.
    Only successful answers are kept; kept for ``keys.KEY_LIFETIME``.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    key = models.CharField(_("key"), max_length=255)
    operation = models.CharField(_("operation"), max_length=100)
    # SHA-256 of the method, path and body: the same key with another request is refused, not replayed.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("answer status"), null=True, blank=True)
    content_type = models.CharField(_("answer content type"), max_length=100, blank=True)
    body = models.TextField(_("answer body"), blank=True)
    created_at = models.DateTimeField(_("created"), db_index=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="idempotency_key_per_person")]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.key} ({self.operation})"
