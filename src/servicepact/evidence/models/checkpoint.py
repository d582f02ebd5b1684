"""Checkpoints: the heads of every chain, folded into one Merkle root and signed by the provider.

Written once (database triggers included); docs/checkpoints.md gives the format. A checkpoint keeps its
signed statement and, per group (a contract's tickets, or the ledger of issued numbers), the leaves it
signed, content-addressed by the group's root (``HeadSet``), so that a group unchanged between
checkpoints is stored once.
"""

import json
import zlib

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.evidence.statement import canonical, group_root
from servicepact.permissions.querysets import AccessQuerySet
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet


class HeadSetQuerySet(AccessQuerySet, WriteOnceQuerySet):
    def keep(self, leaves: list[dict], root: str | None = None) -> "HeadSet":
        """The stored set of ``leaves`` (whose Merkle root is ``root``, computed when not given), stored now if
        it is not yet (inside the caller's transaction)."""
        root = group_root(leaves).hex() if root is None else root
        found = self.filter(root=root).first()
        if found is not None:
            return found
        return self.create(root=root, count=len(leaves), compressed=zlib.compress(canonical(leaves), 6))


class HeadSet(WriteOnceModel):
    """The leaves of one group (sorted), kept by their Merkle root."""

    root = models.CharField(_("Merkle root"), max_length=64, unique=True)
    count = models.PositiveIntegerField(_("leaves"))
    compressed = models.BinaryField(_("leaves, zlib-compressed canonical JSON"))

    objects = HeadSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("set of chain heads")
        verbose_name_plural = _("sets of chain heads")

    def __str__(self) -> str:
        return f"{self.count} leaves {self.root[:12]}"

    def refusal(self) -> Exception:
        return ValidationError(_("A checkpoint is written once and never changed or deleted."))

    def leaves(self) -> list[dict]:
        """The leaves, refused if they no longer give the root they are kept under."""
        leaves = json.loads(zlib.decompress(bytes(self.compressed)))
        if group_root(leaves).hex() != self.root:
            raise ValueError(f"the leaves kept under {self.root} give another root")
        return leaves


class CheckpointReason(models.TextChoices):
    SCHEDULE = "schedule", _("Scheduled")
    REPORT = "report", _("With a stored report")
    COMMAND = "command", _("Asked for on the command line")


class CheckpointQuerySet(AccessQuerySet, WriteOnceQuerySet):
    pass


class Checkpoint(WriteOnceModel):
    """One signed statement: its sequence, instant, Merkle root, and the provider's signature over it."""

    sequence = models.PositiveIntegerField(_("sequence"), unique=True)
    taken_at = models.DateTimeField(_("taken at"))
    reason = models.CharField(_("reason"), max_length=16, choices=CheckpointReason.choices)
    # The stored report whose storing took it, if one did.
    report = models.ForeignKey("slm.StoredReport", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    root = models.CharField(_("Merkle root"), max_length=64)
    # The statement's canonical text: exactly the bytes signed.
    statement = models.TextField(_("statement"))
    signature = models.CharField(_("signature (Ed25519, base64)"), max_length=100)
    key = models.CharField(_("public key (hex)"), max_length=64)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.sequence} {self.root[:12]}"

    def refusal(self) -> Exception:
        return ValidationError(_("A checkpoint is written once and never changed or deleted."))

    def get_absolute_url(self) -> str:
        return reverse("evidence:checkpoints") + f"#checkpoint-{self.sequence}"


class CheckpointGroupQuerySet(AccessQuerySet, WriteOnceQuerySet):
    pass


class CheckpointGroup(WriteOnceModel):
    """One leaf of a checkpoint's tree: a contract's tickets (or the ledger), with the leaves it signed."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="groups")
    position = models.PositiveIntegerField(_("position in the tree"))
    name = models.CharField(_("name"), max_length=120)
    # Null for the ledger of issued numbers, which belongs to no contract.
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    heads = models.ForeignKey(HeadSet, on_delete=models.PROTECT, related_name="+")
    # Whether its root differs from the same group's in the previous checkpoint (then it is offered by mail).
    changed = models.BooleanField(_("changed since the previous checkpoint"))

    objects = CheckpointGroupQuerySet.as_manager()

    class Meta:
        ordering = ["checkpoint", "position"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "position"], name="checkpoint_group_position_unique"),
            models.UniqueConstraint(fields=["checkpoint", "name"], name="checkpoint_group_name_unique"),
        ]
        verbose_name = _("checkpoint group")
        verbose_name_plural = _("checkpoint groups")

    def __str__(self) -> str:
        return f"{self.checkpoint_id}:{self.name}"

    def refusal(self) -> Exception:
        return ValidationError(_("A checkpoint is written once and never changed or deleted."))

    def get_absolute_url(self) -> str:
        return reverse("evidence:copy", kwargs={"sequence": self.checkpoint.sequence, "slug": self.contract.slug})
