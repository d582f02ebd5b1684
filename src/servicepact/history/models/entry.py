import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet


class HistoryEntryQuerySet(AccessQuerySet, WriteOnceQuerySet):
    def of(self, subject: models.Model) -> "HistoryEntryQuerySet":
        """The entries of one record's chain, in order."""
        subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        return self.filter(subject_type=subject_type, subject_id=subject.pk).order_by("seq")


class HistoryEntry(WriteOnceModel):
    """One entry of a record's history; its hash covers its content and the entry before it."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    seq = models.PositiveIntegerField(_("sequence"))
    type = models.CharField(_("type"), max_length=40)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    data = models.JSONField(_("data"), default=dict)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = HistoryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["subject_type", "subject_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "seq"], name="history_entry_seq_unique")
        ]
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return f"{self.chain_name()}#{self.seq} {self.type}"

    def chain_name(self) -> str:
        """The chain's name in hashes and messages: ``app_label.model:pk``."""
        subject_type = ContentType.objects.get_for_id(self.subject_type_id)
        return f"{subject_type.app_label}.{subject_type.model}:{self.subject_id}"

    def compute_hash(self) -> str:
        """SHA-256 over the previous hash and this entry's content, as canonical JSON."""
        body = {
            "chain": self.chain_name(),
            "seq": self.seq,
            "type": self.type,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "data": self.data,
            "prev": self.prev_hash,
        }
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class HistoryHead(models.Model):
    """The tail of one record's chain: how many entries it has and the last one's hash."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    length = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id"], name="history_head_subject_unique")
        ]
        verbose_name = _("history head")
        verbose_name_plural = _("history heads")

    def __str__(self) -> str:
        return f"{self.subject_type_id}:{self.subject_id} ({self.length})"
