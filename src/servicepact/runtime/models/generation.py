from django.db import models
from django.utils.translation import gettext_lazy as _


class Generation(models.Model):
    """One row whose value changes, by database triggers, in the transaction of every write to the rows
    that the per-process caches hold (``servicepact.runtime.generation``): memberships, teams,
    organizations, contracts, their vendors, services and versions, webhook endpoints.

    A value is never used twice (a random number on SQLite, a sequence on PostgreSQL), so a write that is
    rolled back cannot bring back a value under which something else was cached."""

    value = models.BigIntegerField(_("value"))

    class Meta:
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self) -> str:
        return str(self.value)
