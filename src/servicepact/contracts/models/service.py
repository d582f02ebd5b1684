from collections.abc import Iterable
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from servicepact.contracts.models.version import ContractVersion, naming_order
from servicepact.permissions.querysets import AccessQuerySet
from servicepact.sla.contract_model import ServiceDef


class Service(models.Model):
    """An application in scope of a contract: the identity (contract, key) that tickets point to.

    Its name, tier (1 is the most critical) and calendar are terms of the contract, so they come from the
    text of the signed version in force, never from this row: a draft changes nothing live. A row is made
    when a version listing the service becomes signed, and stays when a later version drops the service,
    because tickets still point to it.
    """

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="services")
    key = models.SlugField(_("service id"), max_length=64, help_text=_("The service's id in the contract text."))
    owning_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("owning team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_services",
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "key"]
        constraints = [models.UniqueConstraint(fields=["contract", "key"], name="service_key_unique")]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def terms(self) -> ServiceDef | None:
        """The service's terms in the signed version in force now (see ``attach_terms`` for lists)."""
        attach_terms([self])
        return self.__dict__["terms"]

    @cached_property
    def in_force(self) -> bool:
        """Whether the version in force lists the service (only those can get new tickets)."""
        attach_terms([self])
        return self.__dict__["in_force"]

    @property
    def name(self) -> str:
        return self.terms.name if self.terms else self.key

    @property
    def tier(self) -> int | None:
        return self.terms.tier if self.terms else None

    @property
    def calendar(self) -> str | None:
        return self.terms.calendar if self.terms else None


def attach_terms(services: Iterable[Service], at: datetime | None = None) -> list[Service]:
    """Give each service its terms at ``at`` (default now) with one query for all their contracts.

    A service's terms come from the version in force (or, when none is, the nearest signed one); a
    service that version no longer lists keeps the terms of the newest signed version that listed it.
    """
    services = list(services)
    pending = [service for service in services if "terms" not in service.__dict__]
    if not pending:
        return services
    at = timezone.now() if at is None else at
    versions: dict[int, list[ContractVersion]] = {}
    for version in ContractVersion.objects.signed().filter(contract_id__in={s.contract_id for s in pending}):
        versions.setdefault(version.contract_id, []).append(version)
    ordered = {contract_id: naming_order(found, at) for contract_id, found in versions.items()}
    for service in pending:
        texts = [version.kernel().services for version in ordered.get(service.contract_id, [])]
        service.__dict__["terms"] = next((text[service.key] for text in texts if service.key in text), None)
        in_force = bool(texts) and ordered[service.contract_id][0].holds(at)
        service.__dict__["in_force"] = in_force and service.key in texts[0]
    return services


def attach_terms_in_force(service: Service, version: ContractVersion) -> Service:
    """Give ``service`` its terms from ``version``, the signed version in force that lists it (what
    ``attach_terms`` finds then), without a query: for a write that has just looked that version up."""
    service.__dict__["terms"] = version.kernel().services[service.key]
    service.__dict__["in_force"] = True
    return service


class Category(models.Model):
    """A ticket category of a contract (used by routing and by the contract's measure exclusions)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(_("category id"), max_length=64)
    name = models.CharField(_("name"), max_length=200)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["contract", "key"], name="category_key_unique")]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name
