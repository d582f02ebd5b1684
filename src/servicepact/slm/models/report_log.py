"""The canonical event logs stored reports were computed from, kept by their SHA-256.

A report's digest names its log by hash; keeping the log's bytes under that hash lets anyone download the
very input years later, after corrections changed the live history, and get ``MATCH`` from
``servicepact report verify``. The same log is stored once, whichever reports share it. The bytes are
kept compressed (zlib); ``content`` gives them back and refuses bytes that no longer hash to the key.
"""

import hashlib
import zlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet

# zlib's fastest level: a month's log of a large contract is hundreds of megabytes, compressed while the
# worker stores the report; the higher levels took several times as long for a fifth less space.
COMPRESSION = 1


class ReportLogQuerySet(AccessQuerySet, WriteOnceQuerySet):
    def keep(self, content: bytes | Iterable[bytes]) -> "ReportLog":
        """The stored log of ``content`` (its bytes, or its pieces in order), stored now if it is not yet
        (inside the caller's transaction). Pieces are hashed and compressed as they come, so that a large log
        is never held whole beside its compressed copy."""
        pieces = (content,) if isinstance(content, bytes) else content
        digest, size, compressor, compressed = hashlib.sha256(), 0, zlib.compressobj(COMPRESSION), []
        for piece in pieces:
            digest.update(piece)
            size += len(piece)
            compressed.append(compressor.compress(piece))
        compressed.append(compressor.flush())
        sha256 = digest.hexdigest()
        found = self.filter(sha256=sha256).first()
        if found is not None:
            return found
        return self.create(sha256=sha256, size=size, compressed=b"".join(compressed))


class ReportLog(WriteOnceModel):
    """One canonical event log (docs/measures.md, "Digest"), content-addressed."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    compressed = models.BinaryField(_("log, zlib-compressed"))

    objects = ReportLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("report input log")
        verbose_name_plural = _("report input logs")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} bytes)"

    def refusal(self) -> Exception:
        return ValidationError(_("A report's input log never changes and is never deleted."))

    def content(self) -> bytes:
        content = zlib.decompress(bytes(self.compressed))
        if hashlib.sha256(content).hexdigest() != self.sha256:
            raise ValidationError(_("The stored log %(sha256)s does not hash to its key.") % {"sha256": self.sha256})
        return content
