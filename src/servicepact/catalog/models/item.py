from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicepact.permissions.querysets import AccessQuerySet


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")
    PERSON = "person", _("Person")
    YES_NO = "yes_no", _("Yes or no")


class TaskOrder(models.TextChoices):
    SEQUENCE = "sequence", _("One after the other")
    PARALLEL = "parallel", _("In parallel")


class CatalogItem(models.Model):
    """Something a contract's requesters may ask for: its form, who approves it, who fulfils it."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="catalog_items")
    key = models.SlugField(_("item id"), max_length=64)
    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    service = models.ForeignKey(
        "contracts.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="catalog_items"
    )
    category = models.CharField(
        _("category"), max_length=64, blank=True, help_text=_("One of the contract's categories, or empty.")
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("fulfilling team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalog_items",
        help_text=_("The queue a submitted (and approved) request goes to; empty: the service desk's."),
    )
    priority = models.CharField(
        _("priority"), max_length=8, help_text=_("A priority of the contract's matrix, e.g. P4; fixed for the item.")
    )
    needs_approval = models.BooleanField(_("needs the requester's manager's approval"), default=False)
    task_order = models.CharField(_("tasks done"), max_length=12, choices=TaskOrder.choices, default=TaskOrder.SEQUENCE)
    active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["contract", "key"], name="catalog_item_key_unique")]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:item", kwargs={"catalog_item_id": self.pk})

    def name_in(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") and self.name_zh else self.name

    def description_in(self, language: str) -> str:
        return self.description_zh if language.startswith("zh") and self.description_zh else self.description


class ItemField(models.Model):
    """One question of an item's form."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveIntegerField(_("position"), default=0)
    key = models.SlugField(_("field id"), max_length=64)
    label = models.CharField(_("label"), max_length=120)
    label_zh = models.CharField(_("label (Chinese)"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=FieldKind.choices, default=FieldKind.TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(_("choices"), blank=True, help_text=_("For a choice: one option a line."))
    help_text = models.CharField(_("help text"), max_length=200, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["item", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="catalog_field_key_unique")]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")

    def __str__(self) -> str:
        return self.label

    def label_in(self, language: str) -> str:
        return self.label_zh if language.startswith("zh") and self.label_zh else self.label

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ItemTask(models.Model):
    """One fulfilment step of an item, for a team; copied onto each request of the item."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["item", "position", "pk"]
        verbose_name = _("fulfilment task")
        verbose_name_plural = _("fulfilment tasks")

    def __str__(self) -> str:
        return self.title
