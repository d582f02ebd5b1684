"""Records written once and never changed: ticket events, stored reports, restatements.

The history both parties recompute from must not move, whatever path a change would take: a model's
``save`` of an existing row, its ``delete``, or a queryset's bulk ``update`` and ``delete``.
"""

from django.db import models


class WriteOnceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are written once and never changed")

    def delete(self):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are written once and never deleted")


class WriteOnceModel(models.Model):
    """Inserted once; ``refusal`` is the exception a change or a deletion raises."""

    class Meta:
        abstract = True

    def refusal(self) -> Exception:
        return TypeError(f"a {self._meta.verbose_name} is written once and never changed")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise self.refusal()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refusal()
