"""Records written once and never changed: ticket events, stored reports, restatements, signed versions.

The history both parties recompute from must not move, whatever path a change would take: a model's
``save`` of an existing row, its ``delete``, or a queryset's bulk ``update`` and ``delete``.

Most such records are final the moment they are inserted. Some become final later: a contract version is
a draft (replaced, signed by one party, then the other) until both parties have signed it. A model says
which of its rows are final with ``final_rows``, a ``Q`` over the stored row; None means every row.
A change is judged by the row as stored, never by the object in memory, so signing a draft (the save
that makes it final) is allowed and every later change is not.

This guards Django's paths. The database refuses the rest (SQL sent by anything else) with triggers on
every write-once model's table, final rows only where ``final_rows`` says: servicepact/evidence/guard.py.
"""

from typing import ClassVar

from django.db import models, transaction


class WriteOnceQuerySet(models.QuerySet):
    """Bulk ``update`` and ``delete`` are refused when they would touch a final row."""

    def _touches_final_rows(self) -> bool:
        condition = getattr(self.model, "final_rows", None)
        if condition is None:
            return True
        return self.filter(condition).exists()

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            if self._touches_final_rows():
                raise TypeError(f"{self.model._meta.verbose_name_plural} are written once and never changed")
            return super().update(**kwargs)

    def delete(self):
        with transaction.atomic(using=self.db):
            if self._touches_final_rows():
                raise TypeError(f"{self.model._meta.verbose_name_plural} are written once and never deleted")
            return super().delete()


class WriteOnceModel(models.Model):
    """Inserted once (or final once ``final_rows`` holds); ``refusal`` is the exception a change raises."""

    # The rows that never change again; None: every row, from its insertion.
    final_rows: ClassVar[models.Q | None] = None

    class Meta:
        abstract = True

    def refusal(self) -> Exception:
        return TypeError(f"a {self._meta.verbose_name} is written once and never changed")

    def is_stored_final(self) -> bool:
        """Whether the row as stored in the database is final (an unsaved object is not)."""
        if self.final_rows is None:
            return self.pk is not None
        if self.pk is None:
            return False
        return type(self)._base_manager.using(self._state.db or "default").filter(self.final_rows, pk=self.pk).exists()

    def save(self, *args, **kwargs):
        if self.is_stored_final():
            raise self.refusal()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.final_rows is None or self.is_stored_final():
            raise self.refusal()
        return super().delete(*args, **kwargs)
