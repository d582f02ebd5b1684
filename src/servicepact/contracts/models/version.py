import functools
import math
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet
from servicepact.sla.contract import load_contract
from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.sla.versions import local_date as date_in_zone
from servicepact.write_once import WriteOnceModel, WriteOnceQuerySet


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


@functools.lru_cache(maxsize=64)
def _load_text(source: str, filename: str) -> KernelContract:
    return load_contract(source, filename)


class ContractVersionQuerySet(AccessQuerySet, WriteOnceQuerySet):
    def signed(self) -> "ContractVersionQuerySet":
        return self.filter(status=VersionStatus.SIGNED)


class ContractVersion(WriteOnceModel):
    """One version of a contract's text. Once both parties have signed, it never changes, by any path."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source = models.TextField(_("contract text (YAML)"))
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    registered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer_signed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("signed for the customer by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer_signed_at = models.DateTimeField(_("signed for the customer at"), null=True, blank=True)
    provider_signed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("signed for the provider by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider_signed_at = models.DateTimeField(_("signed for the provider at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = ContractVersionQuerySet.as_manager()

    # A draft may still be replaced or receive a signature; signed by both parties, it is final.
    final_rows = Q(status=VersionStatus.SIGNED)

    class Meta:
        ordering = ["contract", "-number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="contract_version_unique")]
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")

    def __str__(self) -> str:
        return f"{self.contract.slug} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:version", args=[self.contract.slug, self.number])

    def refusal(self) -> Exception:
        return ValidationError(_("A signed contract version is written once and never changed or deleted."))

    @property
    def is_signed(self) -> bool:
        return self.status == VersionStatus.SIGNED

    def kernel(self) -> KernelContract:
        """The SLA kernel's loaded form of the text, loaded once per text (a signed text never changes)."""
        return _load_text(self.source, f"contract-version-{self.number}.yaml")

    def local_date(self, at: datetime) -> date:
        """The date of ``at`` in this version's reporting time zone, the zone its effective dates are read in
        (the kernel's own conversion, so the service pins as ``servicepact sla replay`` does)."""
        return date_in_zone(math.floor(at.timestamp()), self.kernel().reporting_timezone)

    def holds(self, at: datetime) -> bool:
        """Whether the version's effective dates hold the date of ``at`` in its reporting time zone."""
        day = self.local_date(at)
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def in_force_among(versions: Iterable[ContractVersion], at: datetime) -> ContractVersion | None:
    """Of signed versions of one contract, the one in force at ``at``: the highest number whose dates hold it."""
    holding = [version for version in versions if version.is_signed and version.holds(at)]
    return max(holding, key=lambda version: version.number, default=None)


def naming_order(versions: Iterable[ContractVersion], at: datetime) -> list[ContractVersion]:
    """Signed versions in the order their texts name a contract's services at ``at``.

    The version in force first; when none is, the latest to have taken effect before ``at``, else the first
    to take effect after it; then the others, newest first (for a service the first ones no longer list).
    """
    signed = sorted((version for version in versions if version.is_signed), key=lambda v: -v.number)
    first = in_force_among(signed, at)
    if first is None:
        begun = [version for version in signed if version.effective_from <= version.local_date(at)]
        if begun:
            first = max(begun, key=lambda version: (version.effective_from, version.number))
        elif signed:
            first = min(signed, key=lambda version: (version.effective_from, -version.number))
    return ([first] if first else []) + [version for version in signed if version is not first]
