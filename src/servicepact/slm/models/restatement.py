from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet


class RestatementQuerySet(AccessQuerySet, WriteOnceQuerySet):
    pass


class Restatement(WriteOnceModel):
    """A ticket's clocks recomputed under another contract version, kept beside the original, never over it.

    ``clocks`` and ``original_clocks`` hold the SLA specification's clock objects at ``at``, under
    ``contract_version`` and under the version the ticket is pinned to, so the two can be compared.
    Written once; never changed.
    """

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="restatements")
    contract_version = models.ForeignKey(
        "contracts.ContractVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contract version used"),
    )
    original_version = models.ForeignKey(
        "contracts.ContractVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("version the ticket is pinned to"),
    )
    at = models.DateTimeField(_("clocks evaluated at"))
    clocks = models.JSONField(_("clock states"))
    original_clocks = models.JSONField(_("clock states under the pinned version"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    computed_at = models.DateTimeField(_("computed"))

    objects = RestatementQuerySet.as_manager()

    class Meta:
        ordering = ["ticket", "-computed_at"]
        verbose_name = _("restatement")
        verbose_name_plural = _("restatements")

    def __str__(self) -> str:
        return f"{self.ticket_id} under v{self.contract_version_id} at {self.at:%Y-%m-%d %H:%M}"
