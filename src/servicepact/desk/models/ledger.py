import hashlib
import json
from datetime import UTC

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.desk.models.choices import Kind
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet


class IssuedNumber(WriteOnceModel):
    """One ticket number handed out, with the instant: the ledger that shows a deleted ticket as a gap.

    Written in the transaction that creates the ticket (``desk/numbering.py``), so a rolled-back creation
    leaves no entry. Each kind's entries form a hash chain like a ticket's events; the counter row keeps
    the chain's tail (``TicketCounter.last``, ``last_hash``) and checkpoints sign it.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    value = models.PositiveBigIntegerField(_("value"))
    number = models.CharField(_("number"), max_length=16, unique=True)
    # Null only for numbers issued before the ledger existed and no longer held by any ticket.
    issued_at = models.DateTimeField(_("issued at"), null=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = WriteOnceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="issued_number_unique")]
        verbose_name = _("issued ticket number")
        verbose_name_plural = _("issued ticket numbers")

    def __str__(self) -> str:
        return self.number

    def compute_hash(self) -> str:
        """SHA-256 over the previous entry's hash and this entry, as canonical JSON (as ticket events)."""
        body = {
            "kind": self.kind,
            "value": self.value,
            "number": self.number,
            "issued_at": self.issued_at.astimezone(UTC).isoformat() if self.issued_at else None,
            "prev": self.prev_hash,
        }
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()
