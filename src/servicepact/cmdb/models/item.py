from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.cmdb.classes import ItemClass
from servicepact.permissions.querysets import AccessQuerySet


class Lifecycle(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_BUILD = "in_build", _("In build")
    LIVE = "live", _("Live")
    RETIRING = "retiring", _("Retiring")
    RETIRED = "retired", _("Retired")


class Criticality(models.IntegerChoices):
    TIER_1 = 1, _("Tier 1 (most critical)")
    TIER_2 = 2, _("Tier 2")
    TIER_3 = 3, _("Tier 3")
    TIER_4 = 4, _("Tier 4")


class ItemHistory(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    IMPORTED = "imported", _("Imported")
    RELATED = "related", _("Relationship added")
    UNRELATED = "unrelated", _("Relationship removed")
    TICKET_LINKED = "ticket_linked", _("Ticket linked")
    TICKET_UNLINKED = "ticket_unlinked", _("Ticket unlinked")


class ConfigurationItem(models.Model):
    """Something the contract's services are made of: an application, a server, a database...

    A business service is the contract's service itself (``service``), not a second list: its name and tier
    come from the contract's text, and the CMDB keeps one item per contract service in step with it.
    """

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="configuration_items")
    key = models.SlugField(_("item id"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    item_class = models.CharField(_("class"), max_length=32, choices=ItemClass.choices)
    service = models.OneToOneField(
        "contracts.Service",
        verbose_name=_("contract service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="configuration_item",
    )
    owner_team = models.ForeignKey(
        "accounts.Team", verbose_name=_("owner team"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tier = models.PositiveSmallIntegerField(_("criticality tier"), choices=Criticality.choices, default=3)
    location = models.CharField(_("location"), max_length=120, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    lifecycle = models.CharField(
        _("lifecycle status"), max_length=16, choices=Lifecycle.choices, default=Lifecycle.LIVE
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AccessQuerySet.as_manager()

    keeps_history = True
    history_types = ItemHistory

    class Meta:
        ordering = ["contract", "key"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "key"], name="cmdb_item_key_unique"),
            models.CheckConstraint(
                condition=models.Q(item_class=ItemClass.BUSINESS_SERVICE, service__isnull=False)
                | (~models.Q(item_class=ItemClass.BUSINESS_SERVICE) & models.Q(service__isnull=True)),
                name="cmdb_business_service_is_a_contract_service",
            ),
        ]
        verbose_name = _("configuration item")
        verbose_name_plural = _("configuration items")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cmdb:item", args=[self.pk])

    @property
    def is_business_service(self) -> bool:
        return self.item_class == ItemClass.BUSINESS_SERVICE
